// Live chat in two real browser contexts against the `npm start` stack and a local fake AI provider: the storefront
// widget on a test page served from another origin, and an agent on the admin UI's Live chats page. Messages go both
// ways live, an assistant reply streamed with a search_products call ends in a product card, the shopper reloads
// mid-reply and sees the rest once, the agent takes over (the assistant stays silent) and hands back; the waiting badge
// and the list follow handoffs live over the tenant's realtime channel.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WIDGET_TEXT } from '../../web/widget/text'
import { startFakeAi } from '../helpers/fake-ai'
import { launchBrowser, openContext, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { apiCaller, registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `chat-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Relojería Chat' }
const SLOW = { timeout: 60_000 }
/** A change pushed over the tenant's realtime channel shows within this long. */
const LIVE = { timeout: 2_000 }
const FAKE_ID = 'live-chats'
const ASSISTANT_NAME = 'Relojero'
/** A reply long and slow enough (≈ 40 words, 250 ms apart) that the shopper reloads while it streams. */
const LONG_REPLY = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'Tenemos' : i === 39 ? 'fin-de-respuesta' : `palabra${i}`)).join(' ')
const BACK_REPLY = 'De vuelta con el asistente'
const w = WIDGET_TEXT.es

let stack: Stack
let fake: { url: string; stop: () => Promise<void> }
let browser: Browser
let shopServer: Server
let shopOrigin = ''
let token = ''
let sku = ''
const contexts: BrowserContext[] = []
const call = apiCaller(() => stack.base, () => token)

const fakeHits = async () => ((await (await fetch(`${fake.url}/ctl/${FAKE_ID}`)).json()) as { hits: number }).hits

/** Serves a one-page shop that embeds the widget with `key`, on a loopback origin of its own. */
async function startShopPage(key: string): Promise<void> {
  const html = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Tienda</title></head><body><h1>Tienda de prueba</h1><script src="${stack.base}/widget.js" data-key="${key}" data-lang="es"></script></body></html>`
  shopServer = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html))
  await new Promise<void>((resolve) => shopServer.listen(0, '127.0.0.1', resolve))
  shopOrigin = `http://127.0.0.1:${(shopServer.address() as AddressInfo).port}`
}

/** The widget's panel: everything it renders lives under its fixed root. */
const widget = (page: Page): Locator => page.locator('body > div').last()
const widgetInput = (page: Page) => page.getByPlaceholder(w.placeholder)

/** Types and sends a shopper message. */
async function shopperSays(page: Page, message: string): Promise<void> {
  await widgetInput(page).fill(message)
  await widgetInput(page).press('Enter')
}

beforeAll(async () => {
  stack = sharedStack()
  fake = await startFakeAi()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
  await fetch(`${fake.url}/ctl/${FAKE_ID}`, {
    method: 'POST',
    body: JSON.stringify({
      steps: [
        { kind: 'tool', times: 1, tool: { name: 'search_products', arguments: { query: 'RELOJ-BUCEO-1' } } },
        { kind: 'ok', times: 1, text: LONG_REPLY, wordDelayMs: 250 },
        { kind: 'ok', text: BACK_REPLY },
      ],
    }),
  })
  sku = 'RELOJ-BUCEO-1'
  const product = await call('/v1/products', { body: { name: 'Reloj de buceo Abisal', status: 'active', variants: [{ sku, price: 459_900, currency: 'MXN', options: {} }] } })
  expect(product.status).toBe(201)
  const provider = await call('/v1/ai/providers', { body: { kind: 'openai-compatible', name: 'Fake', baseUrl: `${fake.url}/p/${FAKE_ID}/v1`, model: 'fake-model', apiKey: 'sk-test-live-chats', firstTokenTimeoutMs: 20_000 } })
  expect(provider.status).toBe(201)
  expect((await call('/v1/assistant/settings', { method: 'PUT', body: { name: ASSISTANT_NAME } })).status).toBe(200)
  const key = await call<{ key: string }>('/v1/api-keys', { body: { name: 'storefront', type: 'publishable' } })
  await startShopPage(key.body.key)
  expect((await call('/v1/tenant', { method: 'PATCH', body: { settings: { storefrontOrigins: [shopOrigin] } } })).status).toBe(200)
}, 240_000)

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await new Promise((resolve) => shopServer?.close(resolve))
  await fake?.stop()
})

describe('live chats', () => {
  it('carries messages both ways, streams a reply with a product card through a reload, and hands over to an agent and back', async () => {
    const shopperContext = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: 'es-MX' })
    const agentContext = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: 'es-MX' })
    contexts.push(shopperContext, agentContext)
    const shopper = await shopperContext.newPage()
    const agent = await agentContext.newPage()

    await shopper.goto(`${shopOrigin}/`)
    await shopper.getByRole('button', { name: w.open }).click()
    // The status shows once the room answered hello: sends before that would not reach it.
    await widget(shopper).getByText(w.states.assistant, { exact: true }).waitFor(SLOW)
    await shopperSays(shopper, '¿Tienen relojes de buceo?')

    // The shopper sees the reply stream in, then reloads while it is still streaming.
    await widget(shopper).getByText(/Tenemos palabra1/).waitFor(SLOW)
    expect(await widget(shopper).getByText(/fin-de-respuesta/).count()).toBe(0)
    await shopper.reload()
    await widget(shopper).getByText(/fin-de-respuesta/).waitFor(SLOW)
    await widget(shopper).getByText('Reloj de buceo Abisal').waitFor(SLOW)
    expect(await widget(shopper).getByText(/Tenemos palabra1/).count()).toBe(1)
    expect(await widget(shopper).getByText('¿Tienen relojes de buceo?').count()).toBe(1)

    // The agent finds the conversation, its transcript and the product card.
    await signIn(agent, stack.base, owner.email, owner.password, 'es-MX', SLOW)
    await agent.getByRole('link', { name: text('nav.chats', 'es-MX') }).click()
    await agent.getByTestId('chat-list-item').first().click()
    const transcript = agent.getByTestId('chat-transcript')
    await transcript.getByText('¿Tienen relojes de buceo?').waitFor(SLOW)
    await transcript.getByText(/fin-de-respuesta/).waitFor(SLOW)
    await transcript.getByTestId('chat-product-card').getByText('Reloj de buceo Abisal').waitFor(SLOW)
    expect(await fakeHits()).toBe(2)

    // Take over: the shopper sees a person, the assistant stays silent, messages go both ways.
    await agent.getByRole('button', { name: text('chats.takeOver', 'es-MX') }).click()
    await agent.getByTestId('chat-state').getByText(text('chats.state.human', 'es-MX')).waitFor(SLOW)
    await widget(shopper).getByText(new RegExp(w.states.human)).waitFor(SLOW)
    await shopperSays(shopper, '¿Lo hay en azul?')
    await transcript.getByText('¿Lo hay en azul?').waitFor(SLOW)
    await agent.getByLabel(text('chats.reply', 'es-MX')).fill('Sí, en azul marino')
    await agent.getByRole('button', { name: text('chats.send', 'es-MX') }).click()
    await widget(shopper).getByText('Sí, en azul marino').waitFor(SLOW)
    await transcript.getByText('Sí, en azul marino').waitFor(SLOW)
    expect(await fakeHits()).toBe(2)
    await screenshotBothWidths(agent, 'live-chats-human-es')

    // Hand back: the assistant answers the next message again.
    await agent.getByRole('button', { name: text('chats.handBack', 'es-MX') }).click()
    await agent.getByTestId('chat-state').getByText(text('chats.state.assistant', 'es-MX')).waitFor(SLOW)
    await widget(shopper).getByText(w.states.assistant, { exact: true }).waitFor(SLOW)
    await shopperSays(shopper, 'Gracias')
    await widget(shopper).getByText(BACK_REPLY).waitFor(SLOW)
    await transcript.getByText(BACK_REPLY).waitFor(SLOW)
    expect(await fakeHits()).toBe(3)

    // The tenant's realtime channel: the waiting badge and the list follow changes made elsewhere (the shopper, the API)
    // within 2 s, well inside the 5 s the UI used to poll at; three in a row would almost never all land by polling.
    const conversation = (await call<{ data: { id: string }[] }>('/v1/chats?limit=1')).body.data[0]?.id ?? ''
    const badge = agent.getByTestId('nav-chats-waiting')
    const listed = (state: string) => agent.locator(`[data-testid="chat-list-item"][data-state="${state}"]`).waitFor(LIVE)
    expect(await badge.count()).toBe(0)
    await widget(shopper).getByTitle(w.human).click()
    await Promise.all([badge.getByText('1', { exact: true }).waitFor(LIVE), listed('waiting')])
    expect(await agent.getByTestId('chats-waiting').textContent()).toContain('1')
    expect((await call(`/v1/chats/${conversation}/state`, { body: { state: 'human' } })).status).toBe(200)
    await Promise.all([badge.waitFor({ ...LIVE, state: 'detached' }), listed('human')])
    expect((await call(`/v1/chats/${conversation}/state`, { body: { state: 'assistant' } })).status).toBe(200)
    await listed('assistant')
    await widget(shopper).getByTitle(w.human).click()
    await Promise.all([badge.getByText('1', { exact: true }).waitFor(LIVE), listed('waiting')])
  }, 300_000)
})

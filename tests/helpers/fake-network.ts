// A stand-in for the internet as seen by the Worker under test: a DNS-over-HTTPS resolver (JSON API) answering from a
// table, and websites answering from handlers. It replaces global fetch in the test isolate, which the Worker shares;
// every other request goes to the real network as before.
import { vi } from 'vitest'

/** What the fake internet knows: host → addresses, and `origin + pathname` → handler. */
export interface FakeInternet {
  dns: Record<string, string[]>
  sites: Record<string, (request: Request) => Response | Promise<Response>>
}

/** A request the fake saw: every resolver query and every site hit, in order. */
export interface SeenRequest {
  url: string
  accept: string | null
  body: string
}

const A = 1
const AAAA = 28

function answerDns(request: Request, internet: FakeInternet): Response {
  const url = new URL(request.url)
  const name = url.searchParams.get('name') ?? ''
  const type = url.searchParams.get('type') === 'AAAA' ? AAAA : A
  const addresses = internet.dns[name]
  if (!addresses) return Response.json({ Status: 3, Answer: [] })
  const matching = addresses.filter((a) => (type === AAAA) === a.includes(':'))
  return Response.json({ Status: 0, Answer: matching.map((data) => ({ name, type, TTL: 60, data })) })
}

/** Routes the isolate's fetch through `internet`; call the returned `restore` when done. */
export function installFakeInternet(resolverUrl: string, internet: FakeInternet): { seen: SeenRequest[]; restore: () => void } {
  const realFetch = globalThis.fetch.bind(globalThis)
  const seen: SeenRequest[] = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const site = internet.sites[`${url.origin}${url.pathname}`]
    const isResolver = request.url.startsWith(resolverUrl)
    if (!isResolver && !site) return realFetch(input, init)
    seen.push({ url: request.url, accept: request.headers.get('accept'), body: await request.clone().text() })
    return isResolver ? answerDns(request, internet) : await (site as NonNullable<typeof site>)(request)
  })
  return { seen, restore: () => spy.mockRestore() }
}

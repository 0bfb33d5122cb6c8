// A local webhook receiver for the delivery tests, started by the test global setup on 127.0.0.1: POST /r/<id> answers
// from a script of statuses set over POST /ctl/<id> ({statuses, delayMs}; the last status repeats) and records every
// request's headers and body; GET /ctl/<id> returns what came.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the receiver got. */
export interface Received {
  headers: Record<string, string>
  body: string
  status: number
}

interface Script {
  statuses: number[]
  delayMs: number
  received: Received[]
}

const scripts = new Map<string, Script>()
const script = (id: string) => scripts.get(id) ?? scripts.set(id, { statuses: [200], delayMs: 0, received: [] }).get(id)!

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString()))
    req.on('end', () => resolve(data))
  })

/** Starts the receiver on a free loopback port. */
export async function startFakeReceiver(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const body = await readBody(req)
      const control = url.pathname.match(/^\/ctl\/([\w-]+)$/)
      if (control?.[1]) {
        if (req.method === 'POST') {
          const { statuses, delayMs } = JSON.parse(body) as { statuses: number[]; delayMs?: number }
          scripts.set(control[1], { statuses, delayMs: delayMs ?? 0, received: [] })
          res.writeHead(204).end()
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(script(control[1]).received))
        return
      }
      const target = url.pathname.match(/^\/r\/([\w-]+)$/)
      if (!target?.[1] || req.method !== 'POST') {
        res.writeHead(404).end()
        return
      }
      const s = script(target[1])
      const status = s.statuses[Math.min(s.received.length, s.statuses.length - 1)] ?? 200
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
      s.received.push({ headers, body, status })
      if (s.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, s.delayMs))
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} `.repeat(200))
    })()
  })
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// A local stand-in for the Worker's media bridge (workers/routes/internal-media.ts): GET and PUT of objects by key
// under /internal/media/, refused with 401 without the shared token, with a way to hold a GET until released.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StoredObject {
  bytes: Buffer
  contentType: string
}

export interface BridgeServer {
  url: string
  objects: Map<string, StoredObject>
  /** Every request as `METHOD key`, in arrival order. */
  requests: string[]
  /** Makes GETs of `key` wait until the returned function is called. */
  hold: (key: string) => () => void
  close: () => Promise<void>
}

const PREFIX = '/internal/media/'

function readBody(req: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Starts the bridge on a free loopback port; it accepts only `token` in X-Internal-Token. */
export async function startBridgeServer(token: string): Promise<BridgeServer> {
  const objects = new Map<string, StoredObject>()
  const requests: string[] = []
  const held = new Map<string, Promise<void>>()
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname
    const key = path.slice(PREFIX.length)
    requests.push(`${req.method} ${key}`)
    const reply = (status: number, code: string) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code, message: code } }))
    if (!path.startsWith(PREFIX)) return reply(404, 'not_found')
    if (req.headers['x-internal-token'] !== token) return reply(401, 'unauthorized')
    if (req.method === 'PUT') {
      void readBody(req).then((bytes) => {
        objects.set(key, { bytes, contentType: req.headers['content-type'] ?? 'application/octet-stream' })
        res.writeHead(204).end()
      })
      return
    }
    void (held.get(key) ?? Promise.resolve()).then(() => {
      const object = objects.get(key)
      if (!object) return reply(404, 'not_found')
      res.writeHead(200, { 'Content-Type': object.contentType, 'Content-Length': object.bytes.length }).end(object.bytes)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    hold: (key) => {
      let release = () => {}
      held.set(key, new Promise<void>((resolve) => (release = resolve)))
      return () => {
        held.delete(key)
        release()
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

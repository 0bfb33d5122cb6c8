// A WebSocket-to-TCP proxy speaking Neon's protocol (`/v2?address=host:port`), so tests run the Neon driver against any Postgres.
import { connect } from 'node:net'
import { WebSocketServer } from 'ws'

export interface WsTcpProxy {
  /** `host:port` to give the Neon driver as its `wsProxy`. */
  address: string
  close(): Promise<void>
}

/** Starts the proxy on a free loopback port; each WebSocket becomes one TCP connection to the requested address. */
export async function startWsTcpProxy(): Promise<WsTcpProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  server.on('connection', (ws, request) => {
    const target = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? ''
    const [host, port] = target.split(':')
    const socket = connect({ host, port: Number(port) })
    socket.on('data', (chunk) => ws.send(chunk))
    socket.on('close', () => ws.close())
    socket.on('error', () => ws.close())
    ws.on('message', (data: Buffer) => socket.write(data))
    ws.on('close', () => socket.destroy())
  })
  const bound = server.address()
  if (typeof bound === 'string' || bound === null) throw new Error('proxy has no TCP address')
  return {
    address: `127.0.0.1:${bound.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const client of server.clients) client.terminate()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

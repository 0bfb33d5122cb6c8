// A Postgres wire-protocol server in front of one PGlite instance. PGlite has a single session, so each connection
// gets it exclusively from its first message until Postgres reports the session idle again (ReadyForQuery 'I'):
// a whole extended-protocol cycle (Parse/Bind/Execute/Sync) or transaction never interleaves with another client's.
// (pglite-socket queues single messages, which lets concurrent parameterised queries clobber each other's portals.)
import { createServer, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const GSS_ENCRYPTION_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const READY_FOR_QUERY = 0x5a
const TERMINATE = 0x58
const IDLE = 0x49
const ROLLBACK_QUERY = Buffer.from('Q\0\0\0\x0dROLLBACK\0', 'latin1')

/** A FIFO mutex: whoever holds it owns the PGlite session. */
class SessionLock {
  private holder: symbol | undefined
  private readonly waiting: { owner: symbol; grant: () => void }[] = []

  async acquire(owner: symbol): Promise<void> {
    if (this.holder === owner) return
    if (this.holder === undefined) {
      this.holder = owner
      return
    }
    await new Promise<void>((grant) => this.waiting.push({ owner, grant }))
  }

  release(owner: symbol): void {
    if (this.holder !== owner) return
    const next = this.waiting.shift()
    this.holder = next?.owner
    next?.grant()
  }

  holds(owner: symbol): boolean {
    return this.holder === owner
  }

  forget(owner: symbol): void {
    const index = this.waiting.findIndex((w) => w.owner === owner)
    if (index >= 0) this.waiting.splice(index, 1)
  }
}

/** True when the response ends with ReadyForQuery in the idle state: the session can pass to another client. */
function endsIdle(response: Uint8Array): boolean {
  const n = response.length
  return n >= 6 && response[n - 6] === READY_FOR_QUERY && response[n - 1] === IDLE
}

/** A running wire server: its port, and a close that drops every connection. */
export interface WireServer {
  port: number
  close(): Promise<void>
}

/** Serves `db` over TCP on `host:port` (0 picks a free port); resolves once listening. */
export async function serveWireProtocol(db: PGlite, host: string, port: number): Promise<WireServer> {
  const lock = new SessionLock()
  const sockets = new Set<Socket>()

  async function handleConnection(socket: Socket): Promise<void> {
    const owner = Symbol('connection')
    let buffer = Buffer.alloc(0)
    let started = false
    let chain = Promise.resolve()

    const abandon = async (): Promise<void> => {
      if (!lock.holds(owner)) return
      await db.execProtocolRaw(new Uint8Array(ROLLBACK_QUERY))
      lock.release(owner)
    }

    const run = async (message: Buffer): Promise<void> => {
      if (message[0] === TERMINATE) {
        await abandon()
        socket.end()
        return
      }
      await lock.acquire(owner)
      const response = await db.execProtocolRaw(new Uint8Array(message))
      if (socket.writable && response.length > 0) socket.write(response)
      if (endsIdle(response)) lock.release(owner)
    }

    const drain = () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return
          const length = buffer.readInt32BE(0)
          const code = buffer.readInt32BE(4)
          if (code === SSL_REQUEST || code === GSS_ENCRYPTION_REQUEST) {
            buffer = buffer.subarray(8)
            socket.write('N')
            continue
          }
          if (code === CANCEL_REQUEST) {
            socket.end()
            return
          }
          if (buffer.length < length) return
          const startup = buffer.subarray(0, length)
          buffer = buffer.subarray(length)
          started = true
          chain = chain.then(() => run(startup))
          continue
        }
        if (buffer.length < 5) return
        const length = 1 + buffer.readInt32BE(1)
        if (buffer.length < length) return
        const message = buffer.subarray(0, length)
        buffer = buffer.subarray(length)
        chain = chain.then(() => run(message))
      }
    }

    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      drain()
      chain = chain.catch(() => {
        socket.destroy()
      })
    })
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      lock.forget(owner)
      chain = chain.then(abandon)
    })
  }

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    void handleConnection(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('wire server has no TCP address')
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

// Reads realtime stock messages from an accepted WebSocket upgrade, in order, for the Worker and object tests.
import { parseInventoryMessage, type InventoryServerMessage } from '../../durable-objects/inventory/protocol'

/** A change must reach a subscriber within this long. */
export const DELIVERY_BUDGET_MS = 100

/** The messages of one socket, one at a time. */
export interface Subscriber {
  next(): Promise<InventoryServerMessage>
  /** Resolves when the server closes the socket, with its close code and reason. */
  closed: Promise<{ code: number; reason: string }>
  /** Every message received so far that no `next()` has taken. */
  pending(): InventoryServerMessage[]
  close(): void
}

/** Accepts the WebSocket of a 101 response and queues every protocol message it receives. */
export function subscriberOf(response: Response): Subscriber {
  const socket = response.webSocket
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`)
  const queue: InventoryServerMessage[] = []
  const waiting: ((message: InventoryServerMessage) => void)[] = []
  socket.addEventListener('message', (event) => {
    const message = typeof event.data === 'string' ? parseInventoryMessage(event.data) : null
    if (!message) return
    const waiter = waiting.shift()
    if (waiter) waiter(message)
    else queue.push(message)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })))
  socket.accept()
  return {
    closed,
    pending: () => [...queue],
    next: () => {
      const queued = queue.shift()
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () => socket.close(1000, 'done'),
  }
}

/** Resolves with `promise`, or rejects when it takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms))])
}

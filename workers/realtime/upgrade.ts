// The Worker's hand-off of an authenticated WebSocket upgrade to the Durable Object that will hold the socket, shared by
// the stock feed, the chat rooms and the tenant channel: the subprotocols a client offered, and the forward that echoes ours.
import { ApiError } from '../lib/errors'

/** The subprotocols a WebSocket upgrade offers, in order (browsers put a credential there, next to ours). */
export function offeredProtocols(headers: Headers): string[] {
  return (headers.get('sec-websocket-protocol') ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol.length > 0)
}

/**
 * Forwards `request`'s upgrade to `target` at `url` with `headers` (the object's credential and context), 400 unless
 * it is an upgrade; the answer echoes `subprotocol` when the client offered it, as browsers require.
 */
export async function forwardUpgrade(target: { fetch: (url: string, init: RequestInit) => Promise<Response> }, url: string, request: Request, subprotocol: string, headers: Record<string, string>): Promise<Response> {
  if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError('invalid_request', 'This route upgrades to a WebSocket: send Upgrade: websocket')
  }
  const upgraded = await target.fetch(url, { headers: { Upgrade: 'websocket', ...headers } })
  if (upgraded.status !== 101 || !upgraded.webSocket) return upgraded
  const echoed = offeredProtocols(request.headers).includes(subprotocol) ? { headers: { 'Sec-WebSocket-Protocol': subprotocol } } : {}
  return new Response(null, { status: 101, webSocket: upgraded.webSocket, ...echoed })
}

// One rule for reading a realtime text frame as JSON, shared by the protocol parsers of the chat, the tenant channel
// and the stock feed (in the Worker, the objects and the browser alike).

/** The JSON object a text frame carries; null when the frame is not text, not JSON, or not an object. */
export function jsonObjectFrame(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

// Every WebSocket a Durable Object accepts remembers the credential it was opened with (kind, id, expiry) in its
// hibernation attachment and tags, so the object can close it when that credential is revoked or expires.
import type { Connection, ConnectionContext } from 'partyserver'

/**
 * Header the Worker sets on the upgrade it forwards to an object, after authenticating the client. Objects are reached
 * only through the Worker (never routed from the internet), so the header cannot come from a client.
 */
export const SOCKET_CREDENTIAL_HEADER = 'x-vitrina-socket-credential'
/** Close code of a socket whose credential was revoked (key revoked, member removed or changed). */
export const CLOSE_CREDENTIAL_REVOKED = 4001
/** Close code of a socket whose credential expired; the client reconnects with a fresh token. */
export const CLOSE_CREDENTIAL_EXPIRED = 4002
/** Close code of an upgrade that reached an object without a credential. */
export const CLOSE_NO_CREDENTIAL = 1008
/** How often an object with open sockets re-checks their credentials in Postgres, bounding any missed revocation. */
export const CREDENTIAL_RECHECK_MS = 5 * 60_000

/** The credential behind a socket: a member's access token or an API key, and when it expires (epoch ms). */
export interface SocketCredential {
  kind: 'user' | 'api_key'
  id: string
  expiresAt: number | null
}

/** Which credentials to close: members (all their tokens) and API keys, by id. */
export interface CredentialMatch {
  userIds?: string[]
  keyIds?: string[]
}

/** The state every credential-bound socket keeps in its attachment. */
export interface CredentialState {
  credential: SocketCredential
}

/** The tag a socket carries for its credential, so matching sockets are found without scanning. */
export function credentialTag(kind: SocketCredential['kind'], id: string): string {
  return `${kind === 'user' ? 'user' : 'key'}:${id}`
}

/** Serialises a credential for SOCKET_CREDENTIAL_HEADER. */
export function encodeSocketCredential(credential: SocketCredential): string {
  return JSON.stringify(credential)
}

/** The credential the Worker attached to an upgrade, or null when it is missing or malformed. */
export function socketCredentialOf(request: Request): SocketCredential | null {
  const raw = request.headers.get(SOCKET_CREDENTIAL_HEADER)
  if (!raw) return null
  try {
    const value = JSON.parse(raw) as Partial<SocketCredential>
    const kindOk = value.kind === 'user' || value.kind === 'api_key'
    const expiryOk = value.expiresAt === null || typeof value.expiresAt === 'number'
    return kindOk && typeof value.id === 'string' && expiryOk ? { kind: value.kind as SocketCredential['kind'], id: value.id, expiresAt: value.expiresAt ?? null } : null
  } catch {
    return null
  }
}

/** Tags for a new connection (partyserver's getConnectionTags): its credential tag, when it has one. */
export function credentialTags(context: ConnectionContext): string[] {
  const credential = socketCredentialOf(context.request)
  return credential ? [credentialTag(credential.kind, credential.id)] : []
}

/**
 * Binds a new connection to its credential (kept across hibernation); closes it and answers false when the upgrade
 * carried none or the credential has already expired.
 */
export function bindCredential(connection: Connection, context: ConnectionContext, now = Date.now()): boolean {
  const credential = socketCredentialOf(context.request)
  if (!credential) {
    connection.close(CLOSE_NO_CREDENTIAL, 'no credential')
    return false
  }
  if (credential.expiresAt !== null && credential.expiresAt <= now) {
    connection.close(CLOSE_CREDENTIAL_EXPIRED, 'credential expired')
    return false
  }
  connection.setState({ credential } satisfies CredentialState)
  return true
}

function credentialOf(connection: Connection): SocketCredential | null {
  const state = connection.state as CredentialState | null
  return state?.credential ?? null
}

/** Closes the sockets opened with any credential in `match`; returns how many were closed. */
export function closeMatching(connectionsOf: (tag: string) => Iterable<Connection>, match: CredentialMatch): number {
  const tags = [...(match.userIds ?? []).map((id) => credentialTag('user', id)), ...(match.keyIds ?? []).map((id) => credentialTag('api_key', id))]
  let closed = 0
  for (const tag of tags) {
    for (const connection of connectionsOf(tag)) {
      connection.close(CLOSE_CREDENTIAL_REVOKED, 'credential revoked')
      closed += 1
    }
  }
  return closed
}

/** Closes every socket whose credential expired by `now` (or that has none); returns the earliest expiry still ahead. */
export function closeExpired(connections: Iterable<Connection>, now = Date.now()): number | null {
  let next: number | null = null
  for (const connection of connections) {
    const credential = credentialOf(connection)
    if (!credential) {
      connection.close(CLOSE_NO_CREDENTIAL, 'no credential')
    } else if (credential.expiresAt !== null && credential.expiresAt <= now) {
      connection.close(CLOSE_CREDENTIAL_EXPIRED, 'credential expired')
    } else if (credential.expiresAt !== null && (next === null || credential.expiresAt < next)) {
      next = credential.expiresAt
    }
  }
  return next
}

/** The distinct credentials of open sockets, for the periodic re-check. */
export function openCredentials(connections: Iterable<Connection>): { userIds: string[]; keyIds: string[] } {
  const userIds = new Set<string>()
  const keyIds = new Set<string>()
  for (const connection of connections) {
    const credential = credentialOf(connection)
    if (credential?.kind === 'user') userIds.add(credential.id)
    else if (credential?.kind === 'api_key') keyIds.add(credential.id)
  }
  return { userIds: [...userIds], keyIds: [...keyIds] }
}

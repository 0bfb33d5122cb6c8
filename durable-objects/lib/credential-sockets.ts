// The socket guard every Durable Object with WebSockets uses: binds each socket to its credential, closes sockets on
// request (revocation), at expiry (from the object's alarm) and after a periodic re-check in Postgres.
import type { Connection, ConnectionContext } from 'partyserver'
import type { DatabaseConfig } from '../../workers/db/client'
import { staleCredentials } from './credential-recheck'
import { bindCredential, closeExpired, closeMatching, CREDENTIAL_RECHECK_MS, openCredentials, type CredentialMatch } from './socket-credentials'

/** What the guard needs from its object. */
export interface SocketHost {
  getConnections(tag?: string): Iterable<Connection>
  tenantId(): string
  database(): DatabaseConfig
}

/** Credential checks for one object's sockets; the object calls `deadline()` when it sets its alarm and `sweep()` in it. */
export class CredentialSockets {
  readonly #host: SocketHost
  #recheckAt: number | undefined

  constructor(host: SocketHost) {
    this.#host = host
  }

  /** Binds a new socket to its credential; false (socket closed) when it has none or it already expired. */
  bind(connection: Connection, context: ConnectionContext): boolean {
    const bound = bindCredential(connection, context)
    if (bound) this.#recheckAt ??= Date.now() + CREDENTIAL_RECHECK_MS
    return bound
  }

  /** Closes the sockets of revoked credentials; returns how many. */
  close(match: CredentialMatch): number {
    return closeMatching((tag) => this.#host.getConnections(tag), match)
  }

  /** Closes sockets whose credential expired; call before every broadcast so none is ever sent to one. */
  closeExpired(now = Date.now()): number | null {
    return closeExpired(this.#host.getConnections(), now)
  }

  /**
   * Closes expired sockets and, when the re-check is due, those whose credential Postgres no longer knows as valid.
   * A failed re-check is logged and retried on the next round.
   */
  async sweep(now = Date.now()): Promise<void> {
    this.closeExpired(now)
    if (this.#recheckAt !== undefined && this.#recheckAt > now) return
    const open = openCredentials(this.#host.getConnections())
    this.#recheckAt = open.userIds.length + open.keyIds.length > 0 ? now + CREDENTIAL_RECHECK_MS : undefined
    if (this.#recheckAt === undefined) return
    try {
      this.close(await staleCredentials(this.#host.database(), this.#host.tenantId(), open))
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'socket credential re-check failed', error: String(error) }))
    }
  }

  /** When the alarm must next run for the sockets (the earliest expiry or re-check), or null without open sockets. */
  deadline(now = Date.now()): number | null {
    const nextExpiry = closeExpired(this.#host.getConnections(), now)
    const hasSockets = openCredentials(this.#host.getConnections())
    if (hasSockets.userIds.length + hasSockets.keyIds.length === 0) return null
    // Woken from hibernation the in-memory schedule is gone: re-check on the next alarm.
    const recheckAt = (this.#recheckAt ??= now)
    return nextExpiry === null ? recheckAt : Math.min(nextExpiry, recheckAt)
  }
}

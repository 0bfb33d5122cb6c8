// One object per tenant (named by its id): the admin UI's realtime channel. Members' sockets (hibernated, bound to their
// access token) get a snapshot on connect, then the waiting-for-a-human count and conversation changes the ChatRoom
// objects publish, and their own unread notification count from the Notifier and the mark-read route. Counts are read
// from Postgres, never kept from the events, so they are right after a restart of any object and a lost publish is
// corrected by the next one.
import { Server, type Connection, type ConnectionContext } from 'partyserver'
import type { ChatState } from '../../workers/chat/protocol'
import { waitingCount } from '../../workers/chat/waiting'
import { createDatabase, type DatabaseConfig } from '../../workers/db/client'
import { errorBody } from '../../workers/lib/errors'
import { unreadCount, unreadCounts } from '../../workers/notifications/unread'
import { CredentialSockets } from '../lib/credential-sockets'
import { credentialTag, credentialTags, socketCredentialOf, type CredentialMatch } from '../lib/socket-credentials'
import { LatestReads } from './latest'
import type { TenantServerMessage } from './protocol'

const TENANT_KEY = 'tenant'

/** The per-tenant channel; the Worker reaches it with `env.TENANT_CHANNEL.getByName(tenantId)`. */
export class TenantChannel extends Server<Env> {
  static override options = { hibernate: true }

  #tenantId: string | undefined
  /** Newest read wins: a count read before another one that was already sent is never sent after it. */
  readonly #reads = new LatestReads()
  readonly #sockets = new CredentialSockets({
    getConnections: (tag) => this.getConnections(tag),
    tenantId: () => this.#tenant(),
    database: () => this.#database(),
  })

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec('create table if not exists meta (key text primary key, value text not null)')
    })
  }

  /** A conversation's new state is in Postgres: every socket gets it, then the waiting count read after it. */
  async chatChanged(id: string, state: ChatState): Promise<void> {
    if (!this.#hasSockets()) return
    this.#broadcast({ type: 'chat', id, state })
    const read = this.#reads.begin()
    const count = await this.#withDatabase((db) => waitingCount(db, this.#tenant()))
    if (this.#reads.settle('waiting', read, count)) this.#broadcast({ type: 'waiting', count })
  }

  /** These members' unread counts changed: each of them with an open socket gets theirs, and nobody else. */
  async unreadChanged(userIds: string[]): Promise<void> {
    const online = userIds.filter((id) => this.#userSockets(id).length > 0)
    if (online.length === 0) return
    const read = this.#reads.begin()
    const counts = await this.#withDatabase((db) => unreadCounts(db, this.#tenant(), online))
    for (const [userId, unread] of counts) {
      if (!this.#reads.settle(`unread:${userId}`, read, unread)) continue
      for (const connection of this.#userSockets(userId)) this.#send(connection, { type: 'notifications', unread })
    }
  }

  /** Closes the sockets opened with any of these credentials (a member removed or their role changed). */
  closeSockets(match: CredentialMatch): { closed: number } {
    return { closed: this.#sockets.close(match) }
  }

  /** Tags each socket with its credential (`user:<id>`): revocations and a member's notifications find it without a scan. */
  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    return credentialTags(context)
  }

  /** Binds a member's socket to their token and sends the snapshot; anything but a member's credential is closed. */
  override async onConnect(connection: Connection, context: ConnectionContext): Promise<void> {
    const credential = socketCredentialOf(context.request)
    if (credential?.kind !== 'user') {
      connection.close(1008, 'members only')
      return
    }
    if (!this.#sockets.bind(connection, context)) return
    const tenantId = this.#tenant()
    const waitingRead = this.#reads.begin()
    const unreadRead = this.#reads.begin()
    const [waiting, unread] = await this.#withDatabase((db) => Promise.all([waitingCount(db, tenantId), unreadCount(db, tenantId, credential.id)]))
    // A count sent to every socket while these were read is newer; the next event corrects an older one.
    this.#send(connection, { type: 'hello', waiting: this.#reads.newer('waiting', waitingRead) ?? waiting, unread: this.#reads.newer(`unread:${credential.id}`, unreadRead) ?? unread })
    await this.#schedule()
  }

  /** Plain HTTP is not part of the object's surface: the Worker talks RPC, members upgrade to WebSocket. */
  override onRequest(): Response {
    return Response.json(errorBody('not_found', 'The tenant channel answers RPC and WebSocket upgrades only'), { status: 404 })
  }

  /** Closes sockets whose token expired or whose member is gone, and sets the next check. */
  override async onAlarm(): Promise<void> {
    await this.#sockets.sweep()
    await this.#schedule()
  }

  #broadcast(message: TenantServerMessage): void {
    this.#sockets.closeExpired()
    this.broadcast(JSON.stringify(message))
  }

  #send(connection: Connection, message: TenantServerMessage): void {
    connection.send(JSON.stringify(message))
  }

  #userSockets(userId: string): Connection[] {
    return [...this.getConnections(credentialTag('user', userId))]
  }

  #hasSockets(): boolean {
    for (const _ of this.getConnections()) return true
    return false
  }

  /** The tenant: from the object's name on first use, then from storage (an alarm may run without a name). */
  #tenant(): string {
    if (this.#tenantId) return this.#tenantId
    const sql = this.ctx.storage.sql
    const stored = sql.exec<{ value: string }>('select value from meta where key = ?', TENANT_KEY).toArray()[0]?.value
    const tenantId = stored ?? this.name
    if (!stored) sql.exec('insert into meta (key, value) values (?, ?)', TENANT_KEY, tenantId)
    this.#tenantId = tenantId
    return tenantId
  }

  #database(): DatabaseConfig {
    return { url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER }
  }

  async #withDatabase<T>(read: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
    const client = createDatabase(this.#database())
    try {
      return await read(client.db)
    } finally {
      await client.close().catch(() => undefined)
    }
  }

  /** Sets the alarm for the sockets' next credential deadline (an expiry or the periodic re-check). */
  async #schedule(): Promise<void> {
    const next = this.#sockets.deadline()
    if (next === null) return
    const current = await this.ctx.storage.getAlarm()
    if (current === null || next < current) await this.ctx.storage.setAlarm(next)
  }
}

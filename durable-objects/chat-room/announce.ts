// Tells the tenant's realtime channel (TenantChannel) that a conversation started or changed state, once Postgres has
// it (so a list read on that news shows it); failure-tolerant: a lost call is retried by the room's next flush and
// never touches the chat.
import { chatChanged } from '../../workers/realtime/tenant-channel'
import * as store from './store'

/** After a successful publish of `published`: announces its state unless the channel already knows it. */
export function announceState(ctx: DurableObjectState, env: Pick<Env, 'TENANT_CHANNEL'>, published: store.Conversation): void {
  const sql = ctx.storage.sql
  if (store.announcedState(sql) === published.state) return
  ctx.waitUntil(
    chatChanged(env, published.tenantId, published.id, published.state).then((delivered) => {
      if (delivered && store.readConversation(sql)?.state === published.state) store.setAnnouncedState(sql, published.state)
    }),
  )
}

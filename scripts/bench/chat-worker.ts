// Worker entry for `npm run bench:chat`: the real app, plus the anchor in the same workerd: rooms named `echo:*` of the
// same ChatRoom class skip the chat protocol (no SQLite, quota or seq) and only broadcast each frame to every socket,
// reached at /v1/bench/echo/<name> without authentication (under /v1 so static assets never answer it).
import { getServerByName, type Connection, type ConnectionContext, type WSMessage } from 'partyserver'
import { ChatRoom as RealChatRoom } from '../../durable-objects/chat-room'
import app from '../../workers/index'

export * from '../../workers/index'

/** The chat room, or a bare broadcast room for names starting with `echo:`. */
export class ChatRoom extends RealChatRoom {
  override async onConnect(connection: Connection, context: ConnectionContext): Promise<void> {
    if (!this.name.startsWith('echo:')) await super.onConnect(connection, context)
  }

  override async onMessage(connection: Connection, message: WSMessage): Promise<void> {
    if (this.name.startsWith('echo:')) this.broadcast(message)
    else await super.onMessage(connection, message)
  }

  override onClose(connection: Connection): void {
    if (!this.name.startsWith('echo:')) super.onClose(connection)
  }
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/v1/bench/echo/')) {
      const stub = await getServerByName(env.CHAT_ROOM, `echo:${pathname.slice('/v1/bench/echo/'.length)}`)
      return stub.fetch(request)
    }
    return app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>

// The db client factory gives the same answers through both drivers: node-postgres over TCP and Neon's Pool over WebSocket.
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase, resolveDriver, type DatabaseClient } from '../../workers/db/client'
import { startWsTcpProxy, type WsTcpProxy } from '../helpers/ws-tcp-proxy'

const url = inject('databaseUrl')
let proxy: WsTcpProxy
let clients: DatabaseClient[]

beforeAll(async () => {
  proxy = await startWsTcpProxy()
  clients = [createDatabase({ url, driver: 'pg', maxConnections: 2 }), createDatabase({ url, driver: 'neon', neonWsProxy: proxy.address })]
})

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  await proxy.close()
})

describe('database drivers', () => {
  it('picks Neon for neon.tech hosts and node-postgres for anything else', () => {
    expect(resolveDriver('postgres://u:p@ep-cool-name-123.eu-central-1.aws.neon.tech/db')).toBe('neon')
    expect(resolveDriver('postgres://u:p@127.0.0.1:5432/db')).toBe('pg')
    expect(resolveDriver('postgres://u:p@127.0.0.1:5432/db', 'neon')).toBe('neon')
    expect(() => resolveDriver('postgres://x', 'mysql')).toThrow(/auto, neon or pg/)
  })

  it('runs the same queries with the same results through both drivers', async () => {
    const [pgClient, neonClient] = clients
    if (!pgClient || !neonClient) throw new Error('clients not created')
    expect(pgClient.driver).toBe('pg')
    expect(neonClient.driver).toBe('neon')
    await pgClient.db.execute(sql`create table if not exists driver_probe (id int primary key, label text, embedding vector(3))`)
    await pgClient.db.execute(sql`truncate driver_probe`)
    await neonClient.db.execute(sql`insert into driver_probe values (1, 'neon', '[1,0,0]')`)
    await pgClient.db.execute(sql`insert into driver_probe values (2, 'pg', '[0,1,0]')`)

    const query = sql`select id, label, round((embedding <=> '[1,0,0]')::numeric, 3)::text as distance,
      similarity(label, 'neon') as trigram from driver_probe order by id`
    const viaPg = await pgClient.db.execute(query)
    const viaNeon = await neonClient.db.execute(query)
    expect(viaNeon.rows).toEqual(viaPg.rows)
    expect(viaPg.rows).toEqual([
      { id: 1, label: 'neon', distance: '0.000', trigram: 1 },
      { id: 2, label: 'pg', distance: '1.000', trigram: 0 },
    ])
    await pgClient.db.execute(sql`drop table driver_probe`)
  })

  it('sees the migrated schema from both drivers', async () => {
    for (const client of clients) {
      const result = await client.db.execute(sql`select extname from pg_extension where extname in ('vector', 'pg_trgm') order by extname`)
      expect(result.rows).toEqual([{ extname: 'pg_trgm' }, { extname: 'vector' }])
    }
  })
})

// The embedded Postgres under concurrency: parameterised queries and transactions of many connections never interleave.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/db/embedded-postgres'

let postgres: EmbeddedPostgres

beforeAll(async () => {
  postgres = await startEmbeddedPostgres()
})
afterAll(async () => {
  await postgres.stop()
})

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgres.url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

describe('embedded Postgres wire server', () => {
  it('answers 60 concurrent parameterised queries, each with its own value', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => withClient(async (c) => (await c.query('select $1::int * 2 as doubled, $2::text as label', [i, `n${i}`])).rows[0])),
    )
    expect(answers).toEqual(Array.from({ length: 60 }, (_, i) => ({ doubled: i * 2, label: `n${i}` })))
  })

  it('keeps concurrent transactions apart and rolls back a client that disconnects mid-transaction', async () => {
    await withClient((c) => c.query('create table wire_probe (owner int, n int)'))
    await Promise.all(
      Array.from({ length: 20 }, (_, owner) =>
        withClient(async (c) => {
          await c.query('begin')
          for (let n = 0; n < 3; n++) await c.query('insert into wire_probe values ($1, $2)', [owner, n])
          await c.query(owner % 2 === 0 ? 'commit' : 'rollback')
        }),
      ),
    )
    const crashed = new pg.Client({ connectionString: postgres.url })
    await crashed.connect()
    await crashed.query('begin')
    await crashed.query('insert into wire_probe values (999, 0)')
    crashed.on('error', () => undefined)
    ;(crashed as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
    await withClient(async (c) => {
      await c.query('begin')
      await c.query('insert into wire_probe values (998, 0)')
    })

    const rows = await withClient(async (c) => (await c.query('select owner, count(*)::int as n from wire_probe group by owner order by owner')).rows)
    expect(rows).toEqual(Array.from({ length: 10 }, (_, i) => ({ owner: i * 2, n: 3 })))
  })
})

// The whole Postgres schema, one module per domain; drizzle-kit generates migrations/ from it.
export * from './tenants'
export * from './inventory'

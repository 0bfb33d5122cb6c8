// The whole Postgres schema, one module per domain; drizzle-kit generates migrations/ from it.
export * from './activity'
export * from './credentials'
export * from './inventory'
export * from './plans'
export * from './tenants'
export * from './catalog'
export * from './imports'
export * from './search'

// The object's SQLite schema, applied on every start; statements are idempotent so a restart is harmless.

const STATEMENTS = [
  `create table if not exists meta (key text primary key, value text not null)`,
  `create table if not exists levels (
    sku text not null,
    location text not null,
    on_hand integer not null default 0,
    reserved integer not null default 0,
    low_stock_threshold integer,
    allow_backorder integer not null default 0,
    alert_armed integer not null default 1,
    version integer not null default 0,
    updated_at integer not null,
    primary key (sku, location)
  ) without rowid`,
  `create table if not exists ledger (
    id integer primary key autoincrement,
    sku text not null,
    location text not null,
    delta integer not null,
    reserved_delta integer not null,
    reason text not null,
    actor text not null,
    idempotency_key text,
    reservation_id text,
    on_hand integer not null,
    available integer not null,
    at integer not null
  )`,
  `create index if not exists ledger_by_sku on ledger (sku, id)`,
  `create table if not exists idempotency (
    key text primary key,
    fingerprint text not null,
    result text not null,
    expires_at integer not null
  ) without rowid`,
  `create index if not exists idempotency_by_expiry on idempotency (expires_at)`,
  `create table if not exists reservations (
    id text primary key,
    status text not null,
    actor text not null,
    expires_at integer not null,
    created_at integer not null,
    closed_at integer
  ) without rowid`,
  `create index if not exists reservations_by_expiry on reservations (status, expires_at)`,
  `create table if not exists reservation_lines (
    reservation_id text not null,
    sku text not null,
    location text not null,
    quantity integer not null,
    primary key (reservation_id, sku, location)
  ) without rowid`,
  `create table if not exists alerts (
    id integer primary key autoincrement,
    sku text not null,
    location text not null,
    status text not null,
    threshold integer not null,
    available integer not null,
    created_at integer not null,
    acknowledged_at integer,
    acknowledged_by text,
    resolved_at integer,
    resolved_by text
  )`,
  `create index if not exists alerts_by_level on alerts (sku, location, status)`,
  `create index if not exists alerts_by_status on alerts (status, id)`,
  `create table if not exists outbox (
    sku text not null,
    location text not null,
    version integer not null,
    primary key (sku, location)
  ) without rowid`,
  `create table if not exists event_outbox (
    id text primary key,
    type text not null,
    subject_type text not null,
    subject_id text not null,
    data text not null,
    at integer not null
  ) without rowid`,
]

/** Creates every table and index the object uses. */
export function applySchema(sql: SqlStorage): void {
  for (const statement of STATEMENTS) sql.exec(statement)
}

/** Reads one value from the `meta` table. */
export function readMeta(sql: SqlStorage, key: string): string | undefined {
  return sql.exec<{ value: string }>('select value from meta where key = ?', key).toArray()[0]?.value
}

/** Writes one value to the `meta` table. */
export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value', key, value)
}

// Public ids of per-shard records: a reservation or alert id names the shard that holds it, so a later call goes
// straight to that shard instead of asking every one.

const RESERVATION_ID = /^rsv_(\d{1,2})_([0-9a-f-]{36})$/
const ALERT_ID = /^alt_(\d{1,2})_(\d{1,15})$/

/** The public id of reservation `id` (the object's `rsv_<uuid>`) held on `shard`. */
export function reservationPublicId(shard: number, id: string): string {
  return `rsv_${shard}_${id.replace(/^rsv_/, '')}`
}

/** The shard and object id a public reservation id names, or null when it is not one. */
export function parseReservationId(publicId: string): { shard: number; id: string } | null {
  const match = RESERVATION_ID.exec(publicId)
  return match?.[1] && match[2] ? { shard: Number(match[1]), id: `rsv_${match[2]}` } : null
}

/** The public id of alert `id` raised on `shard`. */
export function alertPublicId(shard: number, id: number): string {
  return `alt_${shard}_${id}`
}

/** The shard and object id a public alert id names, or null when it is not one. */
export function parseAlertId(publicId: string): { shard: number; id: number } | null {
  const match = ALERT_ID.exec(publicId)
  return match?.[1] && match[2] ? { shard: Number(match[1]), id: Number(match[2]) } : null
}

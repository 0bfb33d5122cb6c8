// Per-(tenant, shard) stock actor: on-hand levels, reservations and the stock ledger (ARCHITECTURE.md, "Who owns which state").
import { DurableObject } from 'cloudflare:workers'

/** Owns a shard of a tenant's stock; its operations arrive with the inventory routes. */
export class Inventory extends DurableObject<Env> {}

// Per-cart actor: items and their stock reservations, expired by the object's alarm (ARCHITECTURE.md).
import { DurableObject } from 'cloudflare:workers'

/** Owns one cart; its operations arrive with the cart routes. */
export class Cart extends DurableObject<Env> {}

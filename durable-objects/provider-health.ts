// Shared view of AI provider failures: one circuit breaker per provider (ARCHITECTURE.md).
import { DurableObject } from 'cloudflare:workers'

/** Owns the breaker state of the chat assistant's AI providers; arrives with the chat assistant. */
export class ProviderHealth extends DurableObject<Env> {}

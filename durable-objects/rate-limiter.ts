// Exact per-key request buckets and per-tenant monthly quotas (ARCHITECTURE.md: the platform's rate-limit binding counts per location).
import { DurableObject } from 'cloudflare:workers'

/** Owns the buckets of one API key or tenant; its operations arrive with the plans and rate limits. */
export class RateLimiter extends DurableObject<Env> {}

// Test projects: `workers` runs inside workerd (the Worker and its Durable Objects), `node` runs scripts and the CLIP service.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

/** pg requires pg-cloudflare by CommonJS, which vitest resolves to its empty default export: point it at the workerd build. */
const pgCloudflare = join(dirname(createRequire(import.meta.url).resolve('pg-cloudflare/package.json')), 'dist/index.js')

/** pg-cloudflare rejects after `client.end()` with exactly these messages; nothing broader is ignored. */
const PG_SOCKET_CLOSE_MESSAGES = ['Stream was cancelled', 'This socket has been closed']

export default defineConfig({
  plugins: [
    // Root level on purpose: the workers pool resolves runtime require() calls through the root Vite server.
    { name: 'pg-cloudflare-in-workerd', enforce: 'pre', resolveId: (id: string) => (id === 'pg-cloudflare' ? pgCloudflare : undefined) },
  ],
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    // Request logs are one JSON line per request: show them only for failing tests.
    silent: 'passed-only',
    onUnhandledError(error) {
      const message = error instanceof Error ? error.message : String(error)
      if (PG_SOCKET_CLOSE_MESSAGES.some((known) => message.includes(known))) return false
    },
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                // wrangler.toml describes a deployment (production); tests reach local fake providers on loopback.
                ENVIRONMENT: 'development',
                DATABASE_URL: inject('databaseUrl'),
                JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
                INTERNAL_TOKEN: 'test-internal-token-for-the-media-bridge',
                CLIP_URL: inject('clipUrl'),
                FAKE_AI_URL: inject('fakeAiUrl'),
                WEBHOOK_RECEIVER_URL: inject('webhookReceiverUrl'),
                // Stripe in test mode against the local fake (tests/helpers/fake-stripe.ts); events are signed with these secrets.
                STRIPE_SECRET_KEY: 'sk_test_vitrina_fake',
                STRIPE_WEBHOOK_SECRET: 'whsec_test_platform',
                STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_test_connect',
                STRIPE_API_BASE: inject('fakeStripeUrl'),
                // The email API is the local receiver too (mailbox `email`: every message, filtered by recipient in tests).
                EMAIL_API_URL: `${inject('webhookReceiverUrl')}/r/email`,
                EMAIL_API_KEY: 'test-email-key',
                EMAIL_FROM: 'Vitrina <notify@vitrina.test>',
                AI_CREDENTIALS_KEY: 'dGVzdC1rZXktZm9yLWFpLWNyZWRlbnRpYWxzLTMyYiE=',
                // Small thresholds and cooldowns so the breaker tests run in seconds.
                AI_BREAKER_CONFIG: JSON.stringify({ consecutiveFailures: 3, minimumVolume: 10, cooldownMs: 1_000, maxCooldownMs: 8_000, jitter: 0, probeTimeoutMs: 5_000 }),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['tests/workers/**/*.test.ts', 'tests/durable-objects/**/*.test.ts'],
          // Every request opens its own Postgres connection (as in production without Hyperdrive); on a real server that
          // is a new backend process, 40–100 ms on 2 busy cores against ~10 ms on PGlite, so calls-heavy tests need room.
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/node/**/*.test.ts', 'tests/clip/**/*.test.ts'],
          // Starting PGlite or loading a model takes seconds, more when both cores are busy.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // Headless Chromium against the `npm start` stack: starting it and driving pages takes minutes on 2 shared cores.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // A page polled for a change may wait on a busy embedded database for seconds; a poll's own timeout still wins.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
})

// The shared secret of the test run: the CLIP services the tests start (the Worker's binding in vitest.config.ts is the same).

/** INTERNAL_TOKEN in tests (at least 16 characters, as the CLIP service requires). */
export const TEST_INTERNAL_TOKEN = 'test-internal-token-for-the-media-bridge'

// The shared secret of the test run: the Worker's INTERNAL_TOKEN binding and the CLIP services the tests start.

/** INTERNAL_TOKEN in tests (at least 16 characters, as the CLIP service requires). */
export const TEST_INTERNAL_TOKEN = 'test-internal-token-for-the-media-bridge'

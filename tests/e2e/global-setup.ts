// Browser-test setup: resolves Chromium once per run (unpacking the bundled build a single time), so parallel test
// files never race to unpack it, and a missing browser fails the run with a message that says how to get one. It also
// starts the one stack the browser tests share (each test signs up its own shop), so the run pays for one start-up, not
// one per file; files that need a stack configured differently start their own.
import type { TestProject } from 'vitest/node'
import { resolveChromium } from './chromium'
import { startStack } from './stack'

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string
    sharedStackBase: string
  }
}

/** Hands the Chromium path and the shared stack's URL to the browser tests; stops the stack after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('chromiumPath', await resolveChromium())
  // Every browser test comes from 127.0.0.1, so the per-IP registration cap would be shared by all of them.
  const stack = await startStack({ REGISTRATIONS_PER_IP_PER_HOUR: '1000' })
  project.provide('sharedStackBase', stack.base)
  return stack.stop
}

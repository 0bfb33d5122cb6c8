// Browser-test setup: resolves Chromium once per run (unpacking the bundled build a single time), so parallel test
// files never race to unpack it, and a missing browser fails the run with a message that says how to get one; and
// starts the one `npm start` stack the test files share (each signs up tenants of its own on it).
import type { TestProject } from 'vitest/node'
import { resolveChromium } from './chromium'
import { SHARED_STACK_ENV, startStack } from './stack'

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string
    sharedStackBase: string
  }
}

/** Hands the Chromium path and the shared stack's base URL to the browser tests; stops the stack after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [chromiumPath, stack] = await Promise.all([resolveChromium(), startStack(SHARED_STACK_ENV)])
  project.provide('chromiumPath', chromiumPath)
  project.provide('sharedStackBase', stack.base)
  return stack.stop
}

// Browser-test setup: resolves Chromium once per run (unpacking the bundled build a single time), so parallel test
// files never race to unpack it, and a missing browser fails the run with a message that says how to get one.
import type { TestProject } from 'vitest/node'
import { resolveChromium } from './chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string
  }
}

/** Hands the Chromium path to the browser tests. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('chromiumPath', await resolveChromium())
}

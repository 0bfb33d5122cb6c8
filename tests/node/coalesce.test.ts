// Wake-up coalescing: a burst while a call is in flight costs one more call, which starts after the last request of
// the burst; keys are independent; a key is free again once its calls are done.
import { describe, expect, it } from 'vitest'
import { coalesced } from '../../workers/lib/coalesce'

/** A call that records when it started and waits until released. */
function gatedCalls() {
  const started: number[] = []
  const releases: (() => void)[] = []
  let clock = 0
  const call = () => {
    started.push(clock)
    return new Promise<void>((resolve) => releases.push(resolve))
  }
  return { started, releases, call, tick: () => (clock += 1) }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('coalesced', () => {
  it('answers a burst during a call with one more call that starts after the burst', async () => {
    const gate = gatedCalls()
    const first = coalesced('endpoint:a', gate.call)
    gate.tick()
    const burst = Array.from({ length: 10 }, () => coalesced('endpoint:a', gate.call))
    await Promise.all(burst)
    expect(gate.started).toEqual([0])
    gate.releases[0]?.()
    await settle()
    expect(gate.started).toEqual([0, 1])
    gate.releases[1]?.()
    await first
    expect(gate.started).toHaveLength(2)
  })

  it('keeps keys apart and frees a key once its calls are done', async () => {
    const gate = gatedCalls()
    const a = coalesced('endpoint:a', gate.call)
    const b = coalesced('endpoint:b', gate.call)
    expect(gate.started).toHaveLength(2)
    gate.releases.forEach((release) => release())
    await Promise.all([a, b])
    const again = coalesced('endpoint:a', gate.call)
    expect(gate.started).toHaveLength(3)
    gate.releases[2]?.()
    await again
  })
})

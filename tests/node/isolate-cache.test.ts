// The isolate cache behind memberships, shard counts, AI providers and plan limits: shared misses, expiry, bound, forget.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IsolateCache } from '../../workers/lib/isolate-cache'

afterEach(() => vi.useRealTimers())

describe('IsolateCache', () => {
  it('shares one load among concurrent misses and serves it until the TTL ends', async () => {
    vi.useFakeTimers({ now: 0 })
    const cache = new IsolateCache<number>(1_000)
    let loads = 0
    const load = async () => {
      loads += 1
      return loads
    }
    expect(await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)])).toEqual([1, 1, 1])
    vi.setSystemTime(999)
    expect(await cache.get('a', load)).toBe(1)
    vi.setSystemTime(1_000)
    expect(await cache.get('a', load)).toBe(2)
    expect(loads).toBe(2)
  })

  it('forgets on delete, keeps no failed load, and drops the oldest entry past its bound', async () => {
    const cache = new IsolateCache<string>(60_000, 2)
    await cache.get('a', async () => 'a1')
    cache.delete('a')
    expect(await cache.get('a', async () => 'a2')).toBe('a2')
    await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await cache.get('b', async () => 'b1')).toBe('b1')
    cache.set('c', 'c1')
    expect(await cache.get('a', async () => 'a3')).toBe('a3')
    expect(await cache.get('c', async () => 'c2')).toBe('c1')
  })
})

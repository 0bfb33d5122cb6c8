// Seeded pseudo-random numbers so generated models are byte-for-byte reproducible.

/** A fast deterministic PRNG (sfc32) returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed
  let b = 0x243f6a88 ^ (seed * 31)
  let c = 0xb7e15162
  let d = 1
  const next = (): number => {
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 16; i++) next()
  return next
}

/** Fills a new Float32Array with uniform noise of the given standard deviation around `mean`. */
export function randomTensor(random: () => number, size: number, std: number, mean = 0): Float32Array {
  const out = new Float32Array(size)
  const halfWidth = std * Math.sqrt(3)
  for (let i = 0; i < size; i++) out[i] = mean + (random() * 2 - 1) * halfWidth
  return out
}

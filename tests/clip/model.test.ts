// The ONNX model path on the generated tiny model: unit vectors, determinism, batching, truncation, q8 vs fp32.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClipModel } from '../../containers/clip/src/model'
import { cropImage } from '../../containers/clip/src/preprocess'
import { generateModel } from '../../scripts/model/generate'
import { TINY } from '../../scripts/model/sizes'
import { cosine, makeTinyModel, maxDifference, norm, paintedImage, solidImage, tempDir } from './helpers'

const BATCH_TOLERANCE = 1e-5
const Q8_MIN_COSINE = 0.98

let model: { dir: string; remove: () => void }
let fp32: ClipModel
let q8: ClipModel
let crops: Uint8Array[]

beforeAll(async () => {
  model = makeTinyModel()
  fp32 = await ClipModel.load(model.dir, 'fp32', 1)
  q8 = await ClipModel.load(model.dir, 'q8', 1)
  const images = await Promise.all([
    solidImage(64, 64, [200, 30, 30]),
    paintedImage(320, 240, (x, y) => [x % 256, y % 256, (x + y) % 256]),
    paintedImage(200, 300, (x, y) => [(x * y) % 256, 40, 255 - (y % 256)]),
    solidImage(100, 100, [10, 200, 90]),
  ])
  crops = await Promise.all(images.map((image) => cropImage(image, fp32.preprocessor)))
})

afterAll(async () => {
  await Promise.all([fp32.release(), q8.release()])
  model.remove()
})

describe('ClipModel on the tiny generated model', () => {
  it('reports the model name and reads the embedding size from the model output', () => {
    expect(fp32.info).toMatchObject({ name: 'vitrina/clip-random-tiny', dtype: 'fp32', dims: 512, contextLength: 77 })
  })

  it('returns unit vectors that differ between different inputs', async () => {
    const images = await fp32.embedCrops(crops)
    const texts = await fp32.embedTexts(['a red shoe', 'a blue dress'])
    for (const v of [...images, ...texts]) expect(norm(v)).toBeCloseTo(1, 5)
    expect(cosine(images[0]!, images[1]!)).toBeLessThan(0.99999)
    expect(cosine(texts[0]!, texts[1]!)).toBeLessThan(0.99999)
  })

  it('is deterministic, also across separately generated and loaded copies of the model', async () => {
    const copy = tempDir('model-copy')
    generateModel({ size: TINY, out: copy.path })
    expect(readFileSync(join(copy.path, 'onnx/vision_model.onnx'))).toEqual(
      readFileSync(join(model.dir, 'onnx/vision_model.onnx')),
    )
    const reloaded = await ClipModel.load(copy.path, 'fp32', 1)
    const [a] = await fp32.embedCrops([crops[1]!])
    const [b] = await reloaded.embedCrops([crops[1]!])
    const [c] = await fp32.embedCrops([crops[1]!])
    expect(Array.from(b!)).toEqual(Array.from(a!))
    expect(Array.from(c!)).toEqual(Array.from(a!))
    await reloaded.release()
    copy.remove()
  })

  it('gives a batch of N the same vectors as N single calls', async () => {
    const batched = await fp32.embedCrops(crops)
    for (const [i, image] of crops.entries()) {
      const [single] = await fp32.embedCrops([image])
      expect(maxDifference(single!, batched[i]!)).toBeLessThan(BATCH_TOLERANCE)
    }
    const texts = ['red leather boots', 'a cat', 'summer dress with floral print']
    const textBatch = await fp32.embedTexts(texts)
    for (const [i, text] of texts.entries()) {
      const [single] = await fp32.embedTexts([text])
      expect(maxDifference(single!, textBatch[i]!)).toBeLessThan(BATCH_TOLERANCE)
    }
  })

  it('truncates text beyond 77 tokens: only the first 75 tokens matter', async () => {
    const base = Array.from({ length: 80 }, (_, i) => ['red', 'shoe', 'for', 'summer'][i % 4]).join(' ')
    const [long, longer, short] = await fp32.embedTexts([base, `${base} with a very different ending`, 'red shoe'])
    expect(maxDifference(long!, longer!)).toBeLessThan(BATCH_TOLERANCE)
    expect(maxDifference(long!, short!)).toBeGreaterThan(BATCH_TOLERANCE)
  })

  it('loads the q8 model and stays close to fp32 (cosine > 0.98)', async () => {
    expect(q8.info.dtype).toBe('q8')
    const [images32, images8] = await Promise.all([fp32.embedCrops(crops), q8.embedCrops(crops)])
    const texts = ['a red shoe', 'wooden chair', 'the cat sat on the mat']
    const [texts32, texts8] = await Promise.all([fp32.embedTexts(texts), q8.embedTexts(texts)])
    const pairs = [...images32.map((v, i) => [v, images8[i]!]), ...texts32.map((v, i) => [v, texts8[i]!])]
    for (const [a, b] of pairs) {
      expect(cosine(a!, b!)).toBeGreaterThan(Q8_MIN_COSINE)
      expect(maxDifference(a!, b!)).toBeGreaterThan(0)
    }
  })
})

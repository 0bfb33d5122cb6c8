// Loads the CLIP ONNX pair (Xenova layout) into onnxruntime sessions and turns inputs into unit vectors.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { z } from 'zod'
import type { Dtype } from './config'
import { MODEL_REPO } from './config'
import { ONNX_FILES } from './hub'
import { normalizeCrop, parsePreprocessorConfig, pixelCount, RGB_CHANNELS } from './preprocess'
import type { PreprocessorConfig } from './preprocess'
import { ClipTokenizer } from './tokenizer'

const DEFAULT_CONTEXT_LENGTH = 77

const configSchema = z.object({
  _name_or_path: z.string().optional(),
  text_config: z.object({ max_position_embeddings: z.number().int().positive().optional() }).optional(),
})

export interface ModelInfo {
  name: string
  dtype: Dtype
  dims: number
  contextLength: number
}

async function readJson(dir: string, file: string): Promise<unknown> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown
}

function pick(names: readonly string[], preferred: string, role: string): string {
  if (names.includes(preferred)) return preferred
  const first = names[0]
  if (first === undefined) throw new Error(`model has no ${role}`)
  return first
}

/**
 * onnxruntime settings of the service. Without the CPU arena, memory returns after each batch instead of staying at
 * its peak. Without the memory pattern, activations are tensors of their own (at most a few MB each) that malloc
 * reuses from run to run, instead of one block of the whole run's peak (about 10 MB per image) mapped and faulted in
 * afresh on every run under the service's fixed mmap threshold (see the Dockerfile). q8 also skips weight prepacking,
 * whose packed int8 copies cost about 70 MB of RSS for under 10 % speed.
 */
export function sessionOptions(dtype: Dtype, threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: false,
    enableMemPattern: false,
    extra: { session: { disable_prepacking: dtype === 'q8' ? '1' : '0' } },
  }
}

/** Divides each row of a [rows, dims] matrix by its L2 norm. */
export function normalizeRows(data: Float32Array, rows: number, dims: number): Float32Array[] {
  const out: Float32Array[] = []
  for (let r = 0; r < rows; r++) {
    const row = data.slice(r * dims, (r + 1) * dims)
    let sum = 0
    for (const v of row) sum += v * v
    const norm = Math.sqrt(sum) || 1
    for (let i = 0; i < dims; i++) row[i] = (row[i] as number) / norm
    out.push(row)
  }
  return out
}

/** A loaded CLIP model: both towers, the tokenizer and the image preprocessing settings. */
export class ClipModel {
  private constructor(
    private readonly vision: ort.InferenceSession,
    private readonly text: ort.InferenceSession,
    readonly tokenizer: ClipTokenizer,
    readonly preprocessor: PreprocessorConfig,
    readonly info: ModelInfo,
  ) {}

  /** Opens `dir` (files as in Xenova/clip-vit-base-patch16) with `threads` intra-op threads per session. */
  static async load(dir: string, dtype: Dtype, threads: number): Promise<ClipModel> {
    const options = sessionOptions(dtype, threads)
    const files = ONNX_FILES[dtype]
    const [config, preprocessor, tokenizer] = await Promise.all([
      readJson(dir, 'config.json').then((json) => configSchema.parse(json)),
      readJson(dir, 'preprocessor_config.json').then(parsePreprocessorConfig),
      readJson(dir, 'tokenizer.json').then((json) => ClipTokenizer.fromJson(json)),
    ])
    const vision = await ort.InferenceSession.create(join(dir, files.vision), options)
    const text = await ort.InferenceSession.create(join(dir, files.text), options)
    const info: ModelInfo = {
      name: config._name_or_path ?? MODEL_REPO,
      dtype,
      dims: 0,
      contextLength: config.text_config?.max_position_embeddings ?? DEFAULT_CONTEXT_LENGTH,
    }
    const model = new ClipModel(vision, text, tokenizer, preprocessor, info)
    const [textProbe] = await model.embedTexts([''])
    const [imageProbe] = await model.embedCrops([new Uint8Array(pixelCount(preprocessor))])
    if (!textProbe || textProbe.length !== imageProbe?.length) {
      throw new Error(`text and image embeddings differ in size (${textProbe?.length} vs ${imageProbe?.length})`)
    }
    info.dims = textProbe.length
    return model
  }

  /** Image crops (as produced by cropImage) → unit-length image embeddings; normalised straight into the batch tensor. */
  async embedCrops(crops: Uint8Array[]): Promise<Float32Array[]> {
    const { cropHeight, cropWidth } = this.preprocessor
    const size = pixelCount(this.preprocessor)
    const batch = new Float32Array(crops.length * size)
    crops.forEach((crop, i) => normalizeCrop(crop, this.preprocessor, batch, i * size))
    const input = pick(this.vision.inputNames, 'pixel_values', 'input')
    const tensor = new ort.Tensor('float32', batch, [crops.length, RGB_CHANNELS, cropHeight, cropWidth])
    return this.run(this.vision, { [input]: tensor }, 'image_embeds', crops.length)
  }

  /** Token id rows (each `contextLength` long) → unit-length text embeddings. */
  async embedTokenIds(rows: number[][]): Promise<Float32Array[]> {
    const length = this.info.contextLength
    const ids = new BigInt64Array(rows.length * length)
    const mask = new BigInt64Array(rows.length * length)
    rows.forEach((row, r) => {
      const end = row.indexOf(this.tokenizer.endId)
      row.forEach((id, i) => {
        ids[r * length + i] = BigInt(id)
        mask[r * length + i] = i <= end ? 1n : 0n
      })
    })
    const feeds: Record<string, ort.Tensor> = {
      [pick(this.text.inputNames, 'input_ids', 'input')]: new ort.Tensor('int64', ids, [rows.length, length]),
    }
    if (this.text.inputNames.includes('attention_mask')) {
      feeds.attention_mask = new ort.Tensor('int64', mask, [rows.length, length])
    }
    return this.run(this.text, feeds, 'text_embeds', rows.length)
  }

  /** Tokenizes and embeds texts in one batch. */
  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    return this.embedTokenIds(texts.map((text) => this.tokenizer.encode(text, this.info.contextLength)))
  }

  private async run(
    session: ort.InferenceSession,
    feeds: Record<string, ort.Tensor>,
    preferredOutput: string,
    rows: number,
  ): Promise<Float32Array[]> {
    const outputName = pick(session.outputNames, preferredOutput, 'output')
    const results = await session.run(feeds, [outputName])
    const output = results[outputName]
    if (!output || output.type !== 'float32' || output.dims.length !== 2 || output.dims[0] !== rows) {
      throw new Error(`unexpected ${outputName} output ${output?.type} [${output?.dims.join(',')}]`)
    }
    return normalizeRows(output.data as Float32Array, rows, Number(output.dims[1]))
  }

  /** Frees both sessions. */
  async release(): Promise<void> {
    await Promise.all([this.vision.release(), this.text.release()])
  }
}

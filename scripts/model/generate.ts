// Writes a random-weight CLIP model in the Xenova/clip-vit-base-patch16 file layout (fp32 and q8).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTextModel, buildVisionModel } from './clip-graph'
import type { Precision } from './clip-graph'
import type { ClipSize } from './sizes'
import { buildTokenizerJson } from './tokenizer-gen'

export const DEFAULT_SEED = 1234
const PRODUCER = 'vitrina-model-generator'
const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
const BICUBIC = 3

export interface GenerateOptions {
  size: ClipSize
  out: string
  seed?: number
  log?: (line: string) => void
}

const MODEL_FILES: Record<Precision, { vision: string; text: string }> = {
  fp32: { vision: 'vision_model.onnx', text: 'text_model.onnx' },
  q8: { vision: 'vision_model_quantized.onnx', text: 'text_model_quantized.onnx' },
}

function configJson(size: ClipSize, vocabSize: number, seed: number): object {
  const tower = (t: ClipSize['text'] | ClipSize['vision']): object => ({
    hidden_size: t.width,
    num_hidden_layers: t.layers,
    num_attention_heads: t.heads,
    intermediate_size: t.mlp,
    hidden_act: 'quick_gelu',
    layer_norm_eps: 1e-5,
  })
  return {
    _name_or_path: `vitrina/clip-random-${size.name}`,
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: size.projectionDim,
    text_config: {
      ...tower(size.text),
      max_position_embeddings: size.text.contextLength,
      vocab_size: vocabSize,
      bos_token_id: vocabSize - 2,
      eos_token_id: vocabSize - 1,
    },
    vision_config: { ...tower(size.vision), image_size: size.vision.imageSize, patch_size: size.vision.patchSize },
    random_weights: { seed, generator: PRODUCER },
  }
}

function preprocessorJson(size: ClipSize): object {
  const pixels = size.vision.imageSize
  return {
    crop_size: { height: pixels, width: pixels },
    do_center_crop: true,
    do_convert_rgb: true,
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    feature_extractor_type: 'CLIPFeatureExtractor',
    image_processor_type: 'CLIPImageProcessor',
    image_mean: CLIP_MEAN,
    image_std: CLIP_STD,
    resample: BICUBIC,
    rescale_factor: 1 / 255,
    size: { shortest_edge: pixels },
  }
}

/** Generates every file of the model directory; deterministic for a given size and seed. */
export function generateModel({ size, out, seed = DEFAULT_SEED, log = () => {} }: GenerateOptions): void {
  mkdirSync(join(out, 'onnx'), { recursive: true })
  const fixedVocab = size.text.vocabSize === 'learned' ? undefined : size.text.vocabSize
  const tokenizer = buildTokenizerJson(size.text.contextLength, fixedVocab)
  writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(tokenizer.json))
  writeFileSync(join(out, 'config.json'), JSON.stringify(configJson(size, tokenizer.vocabSize, seed), null, 2))
  writeFileSync(join(out, 'preprocessor_config.json'), JSON.stringify(preprocessorJson(size), null, 2))
  for (const precision of ['fp32', 'q8'] as const) {
    const files = MODEL_FILES[precision]
    const started = performance.now()
    const visionBytes = buildVisionModel(size, seed, precision).write(join(out, 'onnx', files.vision), PRODUCER)
    const textBytes = buildTextModel(size, tokenizer.vocabSize, seed + 1, precision).write(
      join(out, 'onnx', files.text),
      PRODUCER,
    )
    const mb = (bytes: number): string => (bytes / 1e6).toFixed(1)
    log(
      `${precision}: vision ${mb(visionBytes)} MB, text ${mb(textBytes)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
  }
}

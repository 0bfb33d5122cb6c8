// CLIP vision and text towers as ONNX graphs (Xenova layout names), fp32 or dynamically quantized q8.
import { DType, GraphBuilder } from './onnx-builder'
import { createRandom, randomTensor } from './prng'
import type { ClipSize, TowerSize } from './sizes'

const LAYER_NORM_EPSILON = 1e-5
const QUICK_GELU_ALPHA = 1.702
const EMBEDDING_STD = 0.02
const MASKED_SCORE = -1e9
const INT8_MAX = 127

export type Precision = 'fp32' | 'q8'

/** Adds seeded random weights and the layers CLIP is made of to a GraphBuilder. */
class ClipLayers {
  private readonly random: () => number

  constructor(
    readonly g: GraphBuilder,
    seed: number,
    private readonly precision: Precision,
  ) {
    this.random = createRandom(seed)
  }

  weight(name: string, dims: number[], std: number, mean = 0): string {
    const size = dims.reduce((a, b) => a * b, 1)
    return this.g.constant(name, dims, randomTensor(this.random, size, std, mean))
  }

  /** x·W (+ b); in q8 the weight is int8 and the activation is quantized per call, as quantize_dynamic does. */
  linear(x: string, name: string, inDim: number, outDim: number, bias = true): string {
    const size = inDim * outDim
    const weights = randomTensor(this.random, size, 1 / Math.sqrt(inDim))
    const product =
      this.precision === 'q8'
        ? this.quantizedMatMul(x, name, weights, [inDim, outDim])
        : this.g.op('MatMul', [x, this.g.constant(`${name}.weight`, [inDim, outDim], weights)])
    if (!bias) return product
    return this.g.op('Add', [product, this.weight(`${name}.bias`, [outDim], 0.01)])
  }

  private quantize(name: string, dims: number[], weights: Float32Array): { data: string; scale: string; zero: string } {
    let maxAbs = 0
    for (const w of weights) maxAbs = Math.max(maxAbs, Math.abs(w))
    const scale = maxAbs / INT8_MAX || 1
    const quantized = new Int8Array(weights.length)
    for (let i = 0; i < weights.length; i++) quantized[i] = Math.round((weights[i] as number) / scale)
    return {
      data: this.g.constant(`${name}_quantized`, dims, quantized),
      scale: this.g.constant(`${name}_scale`, [], Float32Array.of(scale)),
      zero: this.g.constant(`${name}_zero_point`, [], Int8Array.of(0)),
    }
  }

  private quantizedMatMul(x: string, name: string, weights: Float32Array, dims: number[]): string {
    const g = this.g
    const w = this.quantize(`${name}.weight`, dims, weights)
    const [xq, xScale, xZero] = g.opMulti('DynamicQuantizeLinear', [x], 3) as [string, string, string]
    const integer = g.op('MatMulInteger', [xq, w.data, xZero, w.zero])
    const asFloat = g.op('Cast', [integer], { to: DType.float })
    return g.op('Mul', [asFloat, g.op('Mul', [xScale, w.scale])])
  }

  /** Row lookup in an embedding table; in q8 the table is int8 and only the gathered rows are dequantized. */
  embedding(ids: string, name: string, rows: number, width: number): string {
    const table = randomTensor(this.random, rows * width, EMBEDDING_STD)
    if (this.precision === 'fp32')
      return this.g.op('Gather', [this.g.constant(name, [rows, width], table), ids], { axis: 0 })
    const q = this.quantize(name, [rows, width], table)
    return this.g.op('DequantizeLinear', [this.g.op('Gather', [q.data, ids], { axis: 0 }), q.scale, q.zero])
  }

  layerNorm(x: string, name: string, width: number): string {
    const scale = this.weight(`${name}.weight`, [width], 0.02, 1)
    const bias = this.weight(`${name}.bias`, [width], 0.02)
    return this.g.op('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: { float: LAYER_NORM_EPSILON } })
  }

  private attention(x: string, name: string, tower: TowerSize, mask?: string): string {
    const g = this.g
    const headDim = tower.width / tower.heads
    const split = g.ints([0, 0, tower.heads, headDim])
    const heads = (t: string, perm: number[]): string => g.op('Transpose', [g.op('Reshape', [t, split])], { perm })
    const q = g.op('Mul', [this.linear(x, `${name}.q_proj`, tower.width, tower.width), g.floats([headDim ** -0.5], [])])
    const k = this.linear(x, `${name}.k_proj`, tower.width, tower.width)
    const v = this.linear(x, `${name}.v_proj`, tower.width, tower.width)
    const scores = g.op('MatMul', [heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1])])
    const probs = g.op('Softmax', [mask === undefined ? scores : g.op('Add', [scores, mask])], { axis: -1 })
    const context = g.op('Transpose', [g.op('MatMul', [probs, heads(v, [0, 2, 1, 3])])], { perm: [0, 2, 1, 3] })
    const merged = g.op('Reshape', [context, g.ints([0, 0, tower.width])])
    return this.linear(merged, `${name}.out_proj`, tower.width, tower.width)
  }

  private mlp(x: string, name: string, tower: TowerSize): string {
    const g = this.g
    const hidden = this.linear(x, `${name}.fc1`, tower.width, tower.mlp)
    const gate = g.op('Sigmoid', [g.op('Mul', [hidden, g.floats([QUICK_GELU_ALPHA], [])])])
    return this.linear(g.op('Mul', [hidden, gate]), `${name}.fc2`, tower.mlp, tower.width)
  }

  /** Pre-LN transformer encoder: x + attn(ln1(x)), then + mlp(ln2(x)), per layer. */
  encoder(x: string, prefix: string, tower: TowerSize, mask?: string): string {
    let h = x
    for (let layer = 0; layer < tower.layers; layer++) {
      const name = `${prefix}.layers.${layer}`
      h = this.g.op('Add', [
        h,
        this.attention(this.layerNorm(h, `${name}.layer_norm1`, tower.width), `${name}.self_attn`, tower, mask),
      ])
      h = this.g.op('Add', [h, this.mlp(this.layerNorm(h, `${name}.layer_norm2`, tower.width), `${name}.mlp`, tower)])
    }
    return h
  }
}

/** The vision tower: pixel_values [N,3,S,S] → image_embeds [N,projection]. */
export function buildVisionModel(size: ClipSize, seed: number, precision: Precision): GraphBuilder {
  const { vision } = size
  const layers = new ClipLayers(new GraphBuilder('clip_vision'), seed, precision)
  const g = layers.g
  const grid = vision.imageSize / vision.patchSize
  const tokens = grid * grid + 1
  const pixels = g.input('pixel_values', DType.float, ['batch_size', 3, vision.imageSize, vision.imageSize])
  const patchWeight = layers.weight(
    'vision_model.embeddings.patch_embedding.weight',
    [vision.width, 3, vision.patchSize, vision.patchSize],
    1 / Math.sqrt(3 * vision.patchSize * vision.patchSize),
  )
  const patches = g.op('Conv', [pixels, patchWeight], {
    kernel_shape: [vision.patchSize, vision.patchSize],
    strides: [vision.patchSize, vision.patchSize],
  })
  const sequence = g.op('Transpose', [g.op('Reshape', [patches, g.ints([0, vision.width, -1])])], { perm: [0, 2, 1] })
  const batch = g.op('Slice', [g.op('Shape', [pixels]), g.ints([0]), g.ints([1])])
  const classShape = g.op('Concat', [batch, g.ints([1, vision.width])], { axis: 0 })
  const classToken = layers.weight('vision_model.embeddings.class_embedding', [1, 1, vision.width], EMBEDDING_STD)
  const withClass = g.op('Concat', [g.op('Expand', [classToken, classShape]), sequence], { axis: 1 })
  const positions = layers.weight(
    'vision_model.embeddings.position_embedding.weight',
    [tokens, vision.width],
    EMBEDDING_STD,
  )
  const embedded = layers.layerNorm(g.op('Add', [withClass, positions]), 'vision_model.pre_layrnorm', vision.width)
  const hidden = layers.encoder(embedded, 'vision_model.encoder', vision)
  const pooled = layers.layerNorm(
    g.op('Gather', [hidden, g.ints([0], [])], { axis: 1 }),
    'vision_model.post_layernorm',
    vision.width,
  )
  const projection = layers.linear(pooled, 'visual_projection', vision.width, size.projectionDim, false)
  g.op('Identity', [projection], {}, 'image_embeds')
  g.output('image_embeds', DType.float, ['batch_size', size.projectionDim])
  return g
}

/** The text tower: input_ids [N,L] (int64) → text_embeds [N,projection], pooled at the end-of-text token. */
export function buildTextModel(size: ClipSize, vocabSize: number, seed: number, precision: Precision): GraphBuilder {
  const { text } = size
  const layers = new ClipLayers(new GraphBuilder('clip_text'), seed, precision)
  const g = layers.g
  const context = text.contextLength
  const ids = g.input('input_ids', DType.int64, ['batch_size', 'sequence_length'])
  const tokens = layers.embedding(ids, 'text_model.embeddings.token_embedding.weight', vocabSize, text.width)
  const positionTable = layers.weight(
    'text_model.embeddings.position_embedding.weight',
    [context, text.width],
    EMBEDDING_STD,
  )
  const length = g.op('Slice', [g.op('Shape', [ids]), g.ints([1]), g.ints([2])])
  const positions = g.op('Slice', [positionTable, g.ints([0]), length, g.ints([0])])
  const embedded = g.op('Add', [tokens, positions])
  const causal = new Float32Array(context * context)
  for (let row = 0; row < context; row++) {
    for (let col = row + 1; col < context; col++) causal[row * context + col] = MASKED_SCORE
  }
  const fullMask = g.constant('text_model.causal_mask', [context, context], causal)
  const mask = g.op('Slice', [fullMask, g.ints([0, 0]), g.op('Concat', [length, length], { axis: 0 }), g.ints([0, 1])])
  const hidden = layers.layerNorm(
    layers.encoder(embedded, 'text_model.encoder', text, mask),
    'text_model.final_layer_norm',
    text.width,
  )
  const endOfText = g.op('ArgMax', [g.op('Cast', [ids], { to: DType.int32 })], { axis: -1, keepdims: 1 })
  const pooled = g.op('GatherND', [hidden, g.op('Cast', [endOfText], { to: DType.int64 })], { batch_dims: 1 })
  const projection = layers.linear(pooled, 'text_projection', text.width, size.projectionDim, false)
  g.op('Identity', [projection], {}, 'text_embeds')
  g.output('text_embeds', DType.float, ['batch_size', size.projectionDim])
  return g
}

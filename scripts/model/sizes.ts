// Architecture hyper-parameters of the CLIP models the generator can emit.

export interface TowerSize {
  width: number
  layers: number
  heads: number
  mlp: number
}

export interface ClipSize {
  name: string
  vision: TowerSize & { imageSize: number; patchSize: number }
  text: TowerSize & { contextLength: number; vocabSize: number | 'learned' }
  projectionDim: number
}

/** ViT-B/16 as published by OpenAI (the real shapes, so the real cost). */
export const VIT_B_16: ClipSize = {
  name: 'vit-b-16',
  vision: { width: 768, layers: 12, heads: 12, mlp: 3072, imageSize: 224, patchSize: 16 },
  text: { width: 512, layers: 12, heads: 8, mlp: 2048, contextLength: 77, vocabSize: 49408 },
  projectionDim: 512,
}

/** A tiny model with the same interface (224 px, 16 px patches, 77 tokens, 512-d output) for tests. */
export const TINY: ClipSize = {
  name: 'tiny',
  vision: { width: 64, layers: 2, heads: 2, mlp: 256, imageSize: 224, patchSize: 16 },
  text: { width: 64, layers: 2, heads: 2, mlp: 256, contextLength: 77, vocabSize: 'learned' },
  projectionDim: 512,
}

export const SIZES: Record<string, ClipSize> = { tiny: TINY, 'vit-b-16': VIT_B_16 }

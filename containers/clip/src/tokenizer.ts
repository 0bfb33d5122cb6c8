// CLIP's byte-level BPE tokenizer, read from a Hugging Face tokenizer.json (no Python, no native code).
import { z } from 'zod'

/** CLIP's pre-tokenizer split (used when tokenizer.json does not carry one). */
export const CLIP_SPLIT_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
export const START_OF_TEXT = '<|startoftext|>'
export const END_OF_TEXT = '<|endoftext|>'
const DEFAULT_END_OF_WORD = '</w>'

const tokenizerJsonSchema = z.object({
  added_tokens: z.array(z.object({ id: z.number(), content: z.string() })).default([]),
  padding: z.object({ pad_id: z.number() }).nullish(),
  pre_tokenizer: z.unknown().optional(),
  model: z.object({
    type: z.literal('BPE'),
    vocab: z.record(z.string(), z.number()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
    end_of_word_suffix: z.string().nullish(),
  }),
})

export type TokenizerJson = z.input<typeof tokenizerJsonSchema>

/** GPT-2/CLIP's reversible byte → printable character table (index = byte value). */
export function bytesToUnicode(): string[] {
  const printable: number[] = []
  const ranges: [number, number][] = [
    [0x21, 0x7e],
    [0xa1, 0xac],
    [0xae, 0xff],
  ]
  for (const [from, to] of ranges) for (let b = from; b <= to; b++) printable.push(b)
  const table: string[] = new Array<string>(256)
  let extra = 0
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++)
  }
  return table
}

/** Lower-cases and collapses whitespace as CLIP's normaliser does. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()
}

function findSplitPattern(preTokenizer: unknown): string | undefined {
  if (typeof preTokenizer !== 'object' || preTokenizer === null) return undefined
  const node = preTokenizer as { type?: unknown; pattern?: { Regex?: unknown }; pretokenizers?: unknown }
  if (node.type === 'Split' && typeof node.pattern?.Regex === 'string') return node.pattern.Regex
  if (Array.isArray(node.pretokenizers)) {
    for (const child of node.pretokenizers) {
      const found = findSplitPattern(child)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** CLIP tokenizer: normalise, split, byte-encode, apply BPE merges, wrap in start/end tokens. */
export class ClipTokenizer {
  private readonly vocab: Map<string, number>
  private readonly ranks = new Map<string, number>()
  private readonly cache = new Map<string, string[]>()
  private readonly byteTable = bytesToUnicode()
  private readonly split: RegExp
  private readonly endOfWord: string
  readonly startId: number
  readonly endId: number
  readonly padId: number
  readonly vocabSize: number

  private constructor(json: z.output<typeof tokenizerJsonSchema>) {
    this.vocab = new Map(Object.entries(json.model.vocab))
    json.model.merges.forEach((merge, rank) => {
      this.ranks.set(typeof merge === 'string' ? merge : merge.join(' '), rank)
    })
    const special = new Map(json.added_tokens.map((t) => [t.content, t.id]))
    for (const [content, id] of special) this.vocab.set(content, id)
    this.startId = this.requireId(START_OF_TEXT)
    this.endId = this.requireId(END_OF_TEXT)
    this.padId = json.padding?.pad_id ?? this.endId
    this.vocabSize = Math.max(...this.vocab.values()) + 1
    this.endOfWord = json.model.end_of_word_suffix ?? DEFAULT_END_OF_WORD
    this.split = new RegExp(findSplitPattern(json.pre_tokenizer) ?? CLIP_SPLIT_PATTERN, 'gu')
  }

  /** Parses a tokenizer.json document (throws on a non-BPE or malformed file). */
  static fromJson(json: unknown): ClipTokenizer {
    return new ClipTokenizer(tokenizerJsonSchema.parse(json))
  }

  private requireId(token: string): number {
    const id = this.vocab.get(token)
    if (id === undefined) throw new Error(`tokenizer.json has no ${token} token`)
    return id
  }

  /** BPE-merges one byte-encoded word into its subword strings (the last one carries `</w>`). */
  bpe(word: string): string[] {
    const cached = this.cache.get(word)
    if (cached) return cached
    let parts = [...word]
    const lastIndex = parts.length - 1
    parts[lastIndex] = `${parts[lastIndex] ?? ''}${this.endOfWord}`
    while (parts.length > 1) {
      let best: number | undefined
      let bestPair = ''
      for (let i = 0; i < parts.length - 1; i++) {
        const pair = `${parts[i]} ${parts[i + 1]}`
        const rank = this.ranks.get(pair)
        if (rank !== undefined && (best === undefined || rank < best)) {
          best = rank
          bestPair = pair
        }
      }
      if (best === undefined) break
      const merged: string[] = []
      for (let i = 0; i < parts.length; i++) {
        if (i < parts.length - 1 && `${parts[i]} ${parts[i + 1]}` === bestPair) {
          merged.push(`${parts[i]}${parts[i + 1]}`)
          i++
        } else {
          merged.push(parts[i] as string)
        }
      }
      parts = merged
    }
    this.cache.set(word, parts)
    return parts
  }

  /** The subword strings of a text, without special tokens. */
  tokenize(text: string): string[] {
    const tokens: string[] = []
    for (const match of normalizeText(text).matchAll(this.split)) {
      const bytes = new TextEncoder().encode(match[0])
      const word = Array.from(bytes, (b) => this.byteTable[b] as string).join('')
      tokens.push(...this.bpe(word))
    }
    return tokens
  }

  /** Token ids wrapped in start/end of text, truncated (keeping the end token) and padded to `length`. */
  encode(text: string, length: number): number[] {
    const ids = this.tokenize(text).map((token) => this.vocab.get(token) ?? this.endId)
    const body = ids.slice(0, Math.max(0, length - 2))
    const out = [this.startId, ...body, this.endId]
    while (out.length < length) out.push(this.padId)
    return out
  }
}

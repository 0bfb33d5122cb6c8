// Builds a tokenizer.json in CLIP's exact format (byte-level vocab, `</w>` words, BPE merges, special tokens).
import {
  bytesToUnicode,
  CLIP_SPLIT_PATTERN,
  END_OF_TEXT,
  normalizeText,
  START_OF_TEXT,
} from '../../containers/clip/src/tokenizer'
import { WORDS } from './words'

const END_OF_WORD = '</w>'
const SPECIAL_TOKEN_COUNT = 2

/** CLIP numbers its 256 byte symbols printable bytes first; their characters sort the same way. */
function byteSymbolsInClipOrder(): string[] {
  return [...bytesToUnicode()].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0))
}

interface WordEntry {
  symbols: string[]
  frequency: number
}

function corpus(): WordEntry[] {
  const seen = new Set<string>()
  const entries: WordEntry[] = []
  for (const word of normalizeText(WORDS).split(' ')) {
    if (word === '' || seen.has(word)) continue
    seen.add(word)
    const symbols = [...word]
    symbols[symbols.length - 1] = `${symbols.at(-1) ?? ''}${END_OF_WORD}`
    entries.push({ symbols, frequency: 1 / (entries.length + 1) })
  }
  return entries
}

/** Classic BPE training: repeatedly merge the most frequent adjacent pair until every word is one symbol. */
function learnMerges(words: WordEntry[]): [string, string][] {
  const merges: [string, string][] = []
  for (;;) {
    const counts = new Map<string, number>()
    for (const { symbols, frequency } of words) {
      for (let i = 0; i < symbols.length - 1; i++) {
        const pair = `${symbols[i]} ${symbols[i + 1]}`
        counts.set(pair, (counts.get(pair) ?? 0) + frequency)
      }
    }
    let best: string | undefined
    let bestCount = 0
    for (const [pair, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== undefined && pair < best)) {
        best = pair
        bestCount = count
      }
    }
    if (best === undefined) return merges
    const [left, right] = best.split(' ') as [string, string]
    merges.push([left, right])
    for (const word of words) {
      const merged: string[] = []
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === left && word.symbols[i + 1] === right) {
          merged.push(left + right)
          i++
        } else {
          merged.push(word.symbols[i] as string)
        }
      }
      word.symbols = merged
    }
  }
}

/** Extra valid merges (prefix + learned token) so a full-size model gets CLIP's 49,408-entry vocabulary. */
function fillerMerges(vocab: Set<string>, learned: [string, string][], count: number): [string, string][] {
  const tokens = learned.map(([a, b]) => a + b)
  const prefixes = tokens.filter((t) => !t.endsWith(END_OF_WORD))
  const fillers: [string, string][] = []
  for (const prefix of prefixes) {
    for (const token of tokens) {
      if (fillers.length === count) return fillers
      if (vocab.has(prefix + token)) continue
      vocab.add(prefix + token)
      fillers.push([prefix, token])
    }
  }
  if (fillers.length < count) throw new Error(`only ${fillers.length} filler merges available, ${count} needed`)
  return fillers
}

/** A tokenizer.json document; `vocabSize` pads the learned merges up to an exact size (CLIP: 49,408). */
export function buildTokenizerJson(contextLength: number, vocabSize?: number): { json: object; vocabSize: number } {
  const bytes = byteSymbolsInClipOrder()
  const base = [...bytes, ...bytes.map((b) => b + END_OF_WORD)]
  let merges = learnMerges(corpus())
  const known = new Set([...base, ...merges.map(([a, b]) => a + b)])
  if (vocabSize !== undefined) {
    const missing = vocabSize - SPECIAL_TOKEN_COUNT - known.size
    if (missing < 0) throw new Error(`vocabulary of ${vocabSize} is smaller than the learned one`)
    merges = [...merges, ...fillerMerges(known, merges, missing)]
  }
  const vocab: Record<string, number> = {}
  let nextId = 0
  for (const token of known) vocab[token] = nextId++
  const startId = nextId
  const endId = startId + 1
  vocab[START_OF_TEXT] = startId
  vocab[END_OF_TEXT] = endId
  const special = (id: number, content: string): object => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  })
  const json = {
    version: '1.0',
    truncation: { direction: 'Right', max_length: contextLength, strategy: 'LongestFirst', stride: 0 },
    padding: {
      strategy: { Fixed: contextLength },
      direction: 'Right',
      pad_to_multiple_of: null,
      pad_id: endId,
      pad_type_id: 0,
      pad_token: END_OF_TEXT,
    },
    added_tokens: [special(startId, START_OF_TEXT), special(endId, END_OF_TEXT)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: String.raw`\s+` }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: CLIP_SPLIT_PATTERN }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: [END_OF_TEXT, endId],
      cls: [START_OF_TEXT, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: END_OF_TEXT,
      continuing_subword_prefix: '',
      end_of_word_suffix: END_OF_WORD,
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  }
  return { json, vocabSize: endId + 1 }
}

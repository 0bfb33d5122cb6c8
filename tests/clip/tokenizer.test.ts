// The CLIP tokenizer: BPE rank order on a hand-written vocabulary, CLIP's byte numbering, truncation and padding.
import { describe, expect, it } from 'vitest'
import { ClipTokenizer } from '../../containers/clip/src/tokenizer'
import { buildTokenizerJson } from '../../scripts/model/tokenizer-gen'

const START = 49406
const END = 49407

function handWritten(): ClipTokenizer {
  const vocab = { l: 0, o: 1, w: 2, e: 3, r: 4, 'w</w>': 5, 'r</w>': 6, lo: 7, 'low</w>': 8, 'er</w>': 9, low: 10 }
  return ClipTokenizer.fromJson({
    added_tokens: [
      { id: START, content: '<|startoftext|>' },
      { id: END, content: '<|endoftext|>' },
    ],
    model: { type: 'BPE', vocab, merges: ['l o', 'lo w</w>', 'e r</w>', ['lo', 'w']], end_of_word_suffix: '</w>' },
  })
}

describe('ClipTokenizer', () => {
  it('applies merges by rank, not by position, and marks word ends with </w>', () => {
    const tokenizer = handWritten()
    expect(tokenizer.tokenize('lower low')).toEqual(['low', 'er</w>', 'low</w>'])
    expect(tokenizer.encode('LOWER   low', 6)).toEqual([START, 10, 9, 8, END, END])
  })

  describe('with the generated vocabulary', () => {
    const { json, vocabSize } = buildTokenizerJson(77)
    const tokenizer = ClipTokenizer.fromJson(json)
    const startId = vocabSize - 2
    const endId = vocabSize - 1

    it("numbers byte symbols as CLIP does ('!' is 0, 'a</w>' is 320) and puts the special tokens last", () => {
      expect(tokenizer.startId).toBe(startId)
      expect(tokenizer.endId).toBe(endId)
      expect(tokenizer.encode('!', 4)).toEqual([startId, 256, endId, endId])
      expect(tokenizer.encode('a', 3)).toEqual([startId, 320, endId])
      expect(tokenizer.encode('qzx', 5)).toEqual([startId, 80, 89, 343, endId])
    })

    it('lower-cases, collapses whitespace and keeps whole known words as single tokens', () => {
      expect(tokenizer.tokenize('A photo of a  RED\tshoe!')).toEqual([
        'a</w>',
        'photo</w>',
        'of</w>',
        'a</w>',
        'red</w>',
        'shoe</w>',
        '!</w>',
      ])
    })

    it("splits with CLIP's pattern (contractions, single digits) and byte-encodes non-ASCII", () => {
      expect(tokenizer.tokenize("don't 42")).toEqual(['d', 'on</w>', "'", 't</w>', '4</w>', '2</w>'])
      const ids = tokenizer.encode('é', 4)
      expect(ids).toEqual([startId, 127, 358, endId])
    })

    it('truncates to the context length keeping the end token, and pads with the end token', () => {
      const words = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'red' : 'shoe')).join(' ')
      const ids = tokenizer.encode(words, 77)
      expect(ids).toHaveLength(77)
      expect(ids[0]).toBe(startId)
      expect(ids[76]).toBe(endId)
      expect(ids.slice(1, 76)).not.toContain(endId)
      const short = tokenizer.encode('red shoe', 77)
      expect(short.slice(3)).toEqual(Array.from({ length: 74 }, () => endId))
    })

    it('pads a full-size vocabulary to exactly 49,408 entries with CLIP’s special ids', () => {
      const full = buildTokenizerJson(77, 49408)
      const big = ClipTokenizer.fromJson(full.json)
      expect(full.vocabSize).toBe(49408)
      expect([big.startId, big.endId, big.vocabSize]).toEqual([START, END, 49408])
      expect(big.encode('a photo of a cat', 7)).toEqual(
        tokenizer.encode('a photo of a cat', 7).map((id) => (id >= startId ? id - startId + START : id)),
      )
    })
  })
})

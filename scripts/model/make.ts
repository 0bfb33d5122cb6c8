// CLI: `tsx scripts/model/make.ts --size tiny|vit-b-16 --out DIR [--seed N]` writes a random-weight CLIP model.
import { parseArgs } from 'node:util'
import { DEFAULT_SEED, generateModel } from './generate'
import { SIZES } from './sizes'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'tiny' },
    out: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
  },
})
const size = SIZES[values.size]
if (!size || !values.out) {
  console.error(`usage: make.ts --size ${Object.keys(SIZES).join('|')} --out DIR [--seed N]`)
  process.exit(2)
}
generateModel({ size, out: values.out, seed: Number(values.seed), log: (line) => console.error(line) })
console.error(`wrote ${size.name} model to ${values.out}`)

// Benchmark of the CLIP service on a full-size ViT-B/16 (random weights): HTTP vs bare onnxruntime vs the machine's matmul ceiling.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import sharp from 'sharp'
import type { Dtype } from '../../containers/clip/src/config'
import { DEFAULT_MAX_BATCH } from '../../containers/clip/src/config'
import { ONNX_FILES } from '../../containers/clip/src/hub'
import { sessionOptions } from '../../containers/clip/src/model'
import { generateModel } from '../model/generate'
import { DType, GraphBuilder } from '../model/onnx-builder'
import { createRandom, randomTensor } from '../model/prng'
import { VIT_B_16 } from '../model/sizes'
import { clipRuntimeEnv } from '../dev/clip-runtime-env'

const MODEL_DIR = 'models/bench-vit-b-16'
const RESULTS_DIR = 'bench/results'
/** Forward-pass cost of one 224 px image through ViT-B/16's vision tower (multiply-adds × 2). */
const GFLOPS_PER_IMAGE = 35.1
/** The anchor matmul: one ViT-B/16 MLP layer for a batch of 8 images (8 × 197 tokens). */
const ANCHOR = { m: 1576, k: 768, n: 3072 }
const IMAGE_BATCHES = [1, 8, 32]
const TEXT_CONCURRENCY = 16
/**
 * Bare and HTTP measurements alternate this many times. The host's speed swings by up to 2× for seconds at a time
 * (the matmul anchor and a bare session alike), so HTTP/bare is the median of the ratios of adjacent pairs, each pair
 * measured within a few seconds, rather than a ratio of medians taken at different times.
 */
const ROUNDS = 5
/** Relative change of the anchor between the start and the end of a run beyond which the figures are flagged. */
const ANCHOR_DRIFT_TOLERANCE = 0.15
const MIN_SECONDS = 1.5
const GOALS = { httpOverBare: 0.85, overCeiling: 0.6, peakRssMb: { fp32: 1024, q8: 512 } }
const SAMPLE_TEXTS = [
  'a red leather shoe',
  'wooden chair for the kitchen',
  'summer dress with a floral print',
  'black cat',
]

const threads = availableParallelism()

/** The service runs with the allocator and V8 settings of its image (containers/clip/Dockerfile). */
/** The service requires its internal token on /embed/*; the benchmark's service gets a fresh one. */
const INTERNAL_TOKEN = randomUUID()
const SERVICE_ENV = { CLIP_ALLOW_DOWNLOAD: 'false', INTERNAL_TOKEN, ...clipRuntimeEnv() }

/** Iterations per second of `iteration`, run for at least MIN_SECONDS and at least once. */
async function rate(iteration: () => Promise<unknown>): Promise<number> {
  let count = 0
  const started = performance.now()
  while (count < 1 || performance.now() - started < MIN_SECONDS * 1000) {
    await iteration()
    count++
  }
  return count / ((performance.now() - started) / 1000)
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

/** Items per second of both sides and the HTTP/bare ratio, as measured by compare. */
interface Comparison {
  bare: number
  http: number
  ratio: number
}

/**
 * Warms both sides for a full measuring period (a freshly started service still compiles its request path and
 * settles its allocator), then alternates bare and HTTP measurements; `bareItems` and `httpItems` are the items one
 * call of each side handles.
 */
async function compare(bareItems: number, httpItems: number, bare: () => Promise<unknown>, http: () => Promise<unknown>): Promise<Comparison> {
  await rate(bare)
  await rate(http)
  const bareRates: number[] = []
  const httpRates: number[] = []
  const ratios: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const barePerSecond = bareItems * (await rate(bare))
    const httpPerSecond = httpItems * (await rate(http))
    bareRates.push(barePerSecond)
    httpRates.push(httpPerSecond)
    ratios.push(httpPerSecond / barePerSecond)
  }
  return { bare: median(bareRates), http: median(httpRates), ratio: median(ratios) }
}

async function measureMatmulGflops(): Promise<number> {
  const { m, k, n } = ANCHOR
  const g = new GraphBuilder('anchor')
  const a = g.input('a', DType.float, [m, k])
  const random = createRandom(7)
  g.op('MatMul', [a, g.constant('b', [k, n], randomTensor(random, k * n, 0.05))], {}, 'c')
  g.output('c', DType.float, [m, n])
  const path = join(tmpdir(), 'clip-bench-anchor.onnx')
  g.write(path, 'clip-bench')
  const session = await ort.InferenceSession.create(path, sessionOptions('fp32', threads))
  const feeds = { a: new ort.Tensor('float32', randomTensor(random, m * k, 1), [m, k]) }
  await session.run(feeds)
  const rates: number[] = []
  for (let round = 0; round < ROUNDS; round++) rates.push(await rate(() => session.run(feeds)))
  const perSecond = median(rates)
  await session.release()
  rmSync(path)
  return (perSecond * 2 * m * k * n) / 1e9
}

interface Service {
  url: string
  peakRssMb: () => number
  stop: () => Promise<void>
}

/** Starts the real service (`node --import tsx main.ts`) as its own process so its memory can be read. */
async function startService(dtype: Dtype): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'containers/clip/src/main.ts'], {
    env: { ...process.env, ...SERVICE_ENV, CLIP_MODEL_DIR: MODEL_DIR, CLIP_DTYPE: dtype, CLIP_PORT: '0' },
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let log = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(log)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${log}`)))
  })
  for (;;) {
    const ready = await fetch(`${url}/readyz`)
    const body = (await ready.json()) as { status: string; reason?: string }
    if (ready.status === 200) break
    if (body.reason && !/load|download/.test(body.reason)) throw new Error(`service not ready: ${body.reason}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    peakRssMb: () =>
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}

async function sampleJpeg(seed: number): Promise<Buffer> {
  const width = 640
  const height = 480
  const random = createRandom(seed)
  const raw = Buffer.alloc(width * height * 3)
  for (let i = 0; i < raw.length; i++) raw[i] = ((i % (width * 3)) / 8 + random() * 40) & 0xff
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer()
}

async function post(url: string, init: RequestInit): Promise<void> {
  const response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'X-Internal-Token': INTERNAL_TOKEN } })
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`)
  await response.arrayBuffer()
}

interface Row {
  dtype: Dtype
  workload: string
  httpPerSecond: number
  barePerSecond: number
  httpOverBare: number
  httpOverCeiling: number | null
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits))

async function benchDtype(dtype: Dtype, jpegs: Buffer[], ceiling: number): Promise<{ rows: Row[]; peakRssMb: number }> {
  const options = sessionOptions(dtype, threads)
  const vision = await ort.InferenceSession.create(join(MODEL_DIR, ONNX_FILES[dtype].vision), options)
  const text = await ort.InferenceSession.create(join(MODEL_DIR, ONNX_FILES[dtype].text), options)
  const service = await startService(dtype)
  const random = createRandom(3)
  const rows: Row[] = []
  const row = (workload: string, items: Comparison, perImage: boolean): void => {
    console.error(`${dtype} ${workload}: bare ${items.bare.toFixed(2)}/s, http ${items.http.toFixed(2)}/s, pairs' median ratio ${items.ratio.toFixed(2)}`)
    rows.push({
      dtype,
      workload,
      httpPerSecond: round(items.http),
      barePerSecond: round(items.bare),
      httpOverBare: round(items.ratio),
      httpOverCeiling: perImage ? round(items.http / ceiling) : null,
    })
  }
  for (const batch of IMAGE_BATCHES) {
    const pixels = new ort.Tensor('float32', randomTensor(random, batch * 3 * 224 * 224, 1), [batch, 3, 224, 224])
    const form = new FormData()
    for (let i = 0; i < batch; i++)
      form.append(`image${i}`, new Blob([jpegs[i % jpegs.length]!], { type: 'image/jpeg' }))
    const measured = await compare(
      batch,
      batch,
      () => vision.run({ pixel_values: pixels }),
      () => post(`${service.url}/embed/image`, { method: 'POST', body: form }),
    )
    row(`images, ${batch} per request`, measured, true)
  }
  const ids = new BigInt64Array(DEFAULT_MAX_BATCH * 77).fill(49407n)
  for (let r = 0; r < DEFAULT_MAX_BATCH; r++) ids.set([49406n, 320n, BigInt(1000 + r), 539n], r * 77)
  const textIds = new ort.Tensor('int64', ids, [DEFAULT_MAX_BATCH, 77])
  const query = (i: number) =>
    post(`${service.url}/embed/text`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ texts: [`${SAMPLE_TEXTS[i % SAMPLE_TEXTS.length]} ${i}`] }),
    })
  const texts = await compare(
    2 * DEFAULT_MAX_BATCH,
    TEXT_CONCURRENCY,
    async () => {
      await text.run({ input_ids: textIds })
      await text.run({ input_ids: textIds })
    },
    () => Promise.all(Array.from({ length: TEXT_CONCURRENCY }, (_, i) => query(i))),
  )
  row(`text queries, ${TEXT_CONCURRENCY} concurrent (bare: 2 batches of ${DEFAULT_MAX_BATCH})`, texts, false)
  const peakRssMb = round(service.peakRssMb(), 0)
  await service.stop()
  await Promise.all([vision.release(), text.release()])
  return { rows, peakRssMb }
}

async function main(): Promise<void> {
  if (!existsSync(join(MODEL_DIR, ONNX_FILES.q8.text))) {
    console.error(`generating ${VIT_B_16.name} into ${MODEL_DIR}`)
    generateModel({ size: VIT_B_16, out: MODEL_DIR, log: (line) => console.error(line) })
  }
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: threads,
    node: process.version,
    onnxruntime: ort.env.versions.common,
  }
  const loadBefore = loadavg()[0] ?? 0
  const gflopsBefore = await measureMatmulGflops()
  console.error(`anchor: ${gflopsBefore.toFixed(1)} GFLOPS`)
  const jpegs = await Promise.all([1, 2, 3, 4].map(sampleJpeg))
  const results = []
  for (const dtype of ['fp32', 'q8'] as const) {
    results.push({ dtype, ...(await benchDtype(dtype, jpegs, gflopsBefore / GFLOPS_PER_IMAGE)) })
  }
  const gflopsAfter = await measureMatmulGflops()
  const gflops = Math.max(gflopsBefore, gflopsAfter)
  const ceiling = gflops / GFLOPS_PER_IMAGE
  for (const row of results.flatMap((r) => r.rows)) {
    if (row.httpOverCeiling !== null) row.httpOverCeiling = round(row.httpPerSecond / ceiling)
  }
  const drift = Math.abs(gflopsAfter - gflopsBefore) / gflops
  console.log(
    `\nCLIP ViT-B/16 (random weights) on ${machine.cpu}, ${machine.cores} cores, service max batch ${DEFAULT_MAX_BATCH}`,
  )
  console.log(
    `anchor MatMul ${ANCHOR.m}x${ANCHOR.k}·${ANCHOR.k}x${ANCHOR.n}: ${gflops.toFixed(1)} GFLOPS (start ${gflopsBefore.toFixed(1)}, end ${gflopsAfter.toFixed(1)}) → ceiling ${ceiling.toFixed(2)} images/s at ${GFLOPS_PER_IMAGE} GFLOPs/image`,
  )
  console.log(`service environment (from containers/clip/Dockerfile): ${JSON.stringify(SERVICE_ENV)}`)
  console.log(
    `goals: HTTP/bare ≥ ${GOALS.httpOverBare}, fp32 HTTP/ceiling ≥ ${GOALS.overCeiling}, peak RSS fp32 < ${GOALS.peakRssMb.fp32} MB, q8 < ${GOALS.peakRssMb.q8} MB\n`,
  )
  if (drift > ANCHOR_DRIFT_TOLERANCE) {
    console.log(`WARNING: the anchor moved ${(drift * 100).toFixed(0)} % during the run (other load on the machine?)\n`)
  }
  console.table(results.flatMap((r) => r.rows))
  for (const r of results)
    console.log(`${r.dtype}: service peak RSS ${r.peakRssMb} MB (goal < ${GOALS.peakRssMb[r.dtype]} MB)`)
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `clip-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  const anchor = {
    ...ANCHOR,
    gflops: round(gflops, 1),
    gflopsBefore: round(gflopsBefore, 1),
    gflopsAfter: round(gflopsAfter, 1),
    loadAverageBefore: round(loadBefore),
    loadAverageAfter: round(loadavg()[0] ?? 0),
    ceilingImagesPerSecond: round(ceiling),
    gflopsPerImage: GFLOPS_PER_IMAGE,
  }
  writeFileSync(file, JSON.stringify({ machine, maxBatch: DEFAULT_MAX_BATCH, serviceEnv: SERVICE_ENV, anchor, goals: GOALS, results }, null, 2))
  console.log(`\nwrote ${file}`)
}

await main()

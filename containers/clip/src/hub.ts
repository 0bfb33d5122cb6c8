// Fetches missing model files from the Hugging Face hub (or any server speaking its `resolve` protocol).
import { once } from 'node:events'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { Dtype } from './config'

const HUB_REVISION = 'main'
const PROGRESS_BAR_WIDTH = 30
const PROGRESS_LOG_STEP = 0.1

/** The ONNX files of each dtype, in the Xenova layout. */
export const ONNX_FILES: Record<Dtype, { vision: string; text: string }> = {
  fp32: { vision: 'onnx/vision_model.onnx', text: 'onnx/text_model.onnx' },
  q8: { vision: 'onnx/vision_model_quantized.onnx', text: 'onnx/text_model_quantized.onnx' },
}

const METADATA_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json']

/** Every file the service needs for one dtype, relative to the model directory. */
export function requiredFiles(dtype: Dtype): string[] {
  return [...METADATA_FILES, ONNX_FILES[dtype].vision, ONNX_FILES[dtype].text]
}

/** Files of `dtype` not present in `dir`. */
export function missingFiles(dir: string, dtype: Dtype): string[] {
  return requiredFiles(dtype).filter((file) => !existsSync(join(dir, file)))
}

export interface DownloadProgress {
  file: string
  received: number
  total: number | undefined
}

export interface DownloadOptions {
  hubUrl: string
  repo: string
  dir: string
  files: string[]
  onProgress?: (progress: DownloadProgress) => void
}

function formatMb(bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}

/** A progress reporter for stderr: a redrawn bar on a terminal, a line per 10 % otherwise. */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): (p: DownloadProgress) => void {
  let lastFile = ''
  let lastStep = -1
  return ({ file, received, total }) => {
    if (file !== lastFile) {
      lastFile = file
      lastStep = -1
    }
    const fraction = total ? Math.min(1, received / total) : 0
    const sizes = total ? `${formatMb(received)}/${formatMb(total)} MB` : `${formatMb(received)} MB`
    if (stream.isTTY) {
      const filled = Math.round(fraction * PROGRESS_BAR_WIDTH)
      const bar = '#'.repeat(filled) + '.'.repeat(PROGRESS_BAR_WIDTH - filled)
      stream.write(
        `\r[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${sizes} ${file}${fraction === 1 ? '\n' : ''}`,
      )
      return
    }
    const step = Math.floor(fraction / PROGRESS_LOG_STEP)
    if (step !== lastStep) {
      lastStep = step
      stream.write(`downloading ${file}: ${(fraction * 100).toFixed(0)}% (${sizes})\n`)
    }
  }
}

async function downloadFile(
  url: string,
  destination: string,
  file: string,
  onProgress: (p: DownloadProgress) => void,
): Promise<void> {
  const response = await fetch(url, { redirect: 'follow' })
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered HTTP ${response.status}`)
  const header = response.headers.get('content-length')
  const total = header === null ? undefined : Number(header)
  await mkdir(dirname(destination), { recursive: true })
  const partial = `${destination}.partial`
  const out = createWriteStream(partial)
  let received = 0
  try {
    onProgress({ file, received, total })
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
      const bytes = chunk as Uint8Array
      received += bytes.length
      if (!out.write(bytes)) await once(out, 'drain')
      onProgress({ file, received, total })
    }
    out.end()
    await once(out, 'finish')
    if (total !== undefined && received !== total) throw new Error(`${url}: received ${received} of ${total} bytes`)
    await rename(partial, destination)
  } catch (error) {
    out.destroy()
    await rm(partial, { force: true })
    throw error
  }
}

/** Downloads `files` from `<hubUrl>/<repo>/resolve/main/<file>` into `dir`, atomically per file. */
export async function downloadModelFiles({
  hubUrl,
  repo,
  dir,
  files,
  onProgress = () => {},
}: DownloadOptions): Promise<void> {
  for (const file of files) {
    await downloadFile(`${hubUrl}/${repo}/resolve/${HUB_REVISION}/${file}`, join(dir, file), file, onProgress)
  }
}

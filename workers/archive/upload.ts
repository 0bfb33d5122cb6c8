// Reading an uploaded archive as a stream: every line is checked (manifest first, known sections, counts that match
// the manifest) while it is re-split into R2 parts, so a malformed archive is refused with 400 before anything is
// restored, and a large one is never held in memory whole.
import { ApiError } from '../lib/errors'
import { shardCountFromSetting } from '../inventory/shard-count'
import { archiveLine, manifestLine, sectionOf, type ManifestLine } from './format'
import { archivePartKey } from './storage'

/** Lines per uploaded part: each part is restored in one Postgres transaction by one alarm. */
export const UPLOAD_PART_LINES = 500
/** Bytes per uploaded part, whichever comes first (image objects are large lines). */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024
/** Problems reported in a 400's details. */
const MAX_REPORTED = 20

/** What a valid upload produced. */
export interface UploadedArchive {
  manifest: ManifestLine
  parts: number
  shardCount: number
}

interface Problem {
  line: number
  message: string
}

/** Splits the request body into lines, checks each, and writes parts under `prefix`; 400 `invalid_archive` (and nothing kept) when anything is wrong. */
export async function storeUpload(body: ReadableStream<Uint8Array> | null, bucket: R2Bucket, prefix: string): Promise<UploadedArchive> {
  if (!body) throw invalid([{ line: 0, message: 'the body is empty' }])
  const problems: Problem[] = []
  const counts: Record<string, number> = {}
  let manifest: ManifestLine | undefined
  let shardCount = 1
  let lineNo = 0
  let parts = 0
  let pending: string[] = []
  let pendingBytes = 0
  const flush = async () => {
    if (pending.length === 0 || problems.length > 0) return
    parts += 1
    await bucket.put(archivePartKey(prefix, parts), pending.join('\n') + '\n')
    pending = []
    pendingBytes = 0
  }
  const take = async (text: string) => {
    lineNo += 1
    if (text.trim() === '') return
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      problems.push({ line: lineNo, message: 'not JSON' })
      return
    }
    if (!manifest) {
      const parsed = manifestLine.safeParse(json)
      if (parsed.success) manifest = parsed.data
      else problems.push({ line: lineNo, message: `the first line must be a ${'vitrina-tenant-archive'} version 1 manifest` })
      return
    }
    const parsed = archiveLine.safeParse(json)
    if (!parsed.success) {
      problems.push({ line: lineNo, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') })
      return
    }
    const line = parsed.data
    if (line.k === 'row' && line.row.tenant_id !== manifest.tenantId) problems.push({ line: lineNo, message: 'the row belongs to another tenant than the manifest' })
    if (line.k === 'object' && !line.key.startsWith(`t/${manifest.tenantId}/`)) problems.push({ line: lineNo, message: 'the object key is outside the tenant' })
    if (line.k === 'tenant') shardCount = shardCountFromSetting(line.settings.inventoryShards)
    counts[sectionOf(line)] = (counts[sectionOf(line)] ?? 0) + 1
    pending.push(text)
    pendingBytes += text.length
    if (pending.length >= UPLOAD_PART_LINES || pendingBytes >= UPLOAD_PART_BYTES) await flush()
  }
  let carry = ''
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  try {
    for await (const chunk of body) {
      const text = carry + decoder.decode(chunk, { stream: true })
      const lines = text.split('\n')
      carry = lines.pop() ?? ''
      for (const line of lines) {
        await take(line)
        if (problems.length >= MAX_REPORTED) break
      }
      if (problems.length >= MAX_REPORTED) break
    }
    if (problems.length < MAX_REPORTED) await take(carry + decoder.decode())
  } catch (error) {
    if (error instanceof TypeError) problems.push({ line: lineNo + 1, message: 'not UTF-8' })
    else throw error
  }
  if (!manifest && problems.length === 0) problems.push({ line: 1, message: 'the archive has no manifest' })
  if (manifest && problems.length === 0) {
    for (const section of new Set([...Object.keys(manifest.counts), ...Object.keys(counts)])) {
      if ((manifest.counts[section] ?? 0) !== (counts[section] ?? 0)) {
        problems.push({ line: lineNo, message: `section ${section}: the manifest counts ${manifest.counts[section] ?? 0} lines, the archive holds ${counts[section] ?? 0}` })
      }
    }
  }
  if (problems.length === 0) await flush()
  if (problems.length > 0 || !manifest) {
    const keys = Array.from({ length: parts }, (_, i) => archivePartKey(prefix, i + 1))
    if (keys.length > 0) await bucket.delete(keys)
    throw invalid(problems)
  }
  return { manifest, parts, shardCount }
}

function invalid(problems: Problem[]): ApiError {
  const first = problems[0]
  return new ApiError('invalid_archive', `This is not a valid tenant archive${first ? ` (line ${first.line}: ${first.message})` : ''}`, {
    details: problems.slice(0, MAX_REPORTED).map((p) => ({ in: 'body', path: `line ${p.line}`, message: p.message })),
  })
}

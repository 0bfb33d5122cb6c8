// Helpers for the bulk import and export tests: uploads CSV, drives a CatalogImport object's alarm, reads exports.
import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, SELF } from 'cloudflare:test'
import { api, BASE, type Account } from './helpers'

export interface RowError {
  row: number
  field: string
  message: string
}
export interface Counts {
  created: number
  updated: number
  unchanged: number
  failed: number
}
export interface ImportStatus {
  id: string
  status: string
  totalRows: number
  processedRows: number
  counts: Counts
  errors: RowError[]
}
export interface DryRun {
  dryRun: true
  totalRows: number
  counts: Counts
  errors: RowError[]
}

/** Builds a CSV text from a header and rows (cells are quoted when they need it). */
export function csv(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v))
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n'
}

/** Posts `body` to the import route. */
export async function upload<T>(owner: Account, body: string, options: { dryRun?: boolean; contentType?: string } = {}): Promise<{ res: Response; body: T }> {
  const res = await SELF.fetch(`${BASE}/v1/products/import?dryRun=${options.dryRun ? 'true' : 'false'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': options.contentType ?? 'text/csv' },
    body,
  })
  return { res, body: (await res.json()) as T }
}

/** Runs the import's alarm until the status route reports it finished; returns every status seen on the way. */
export async function drain(owner: Account, id: string): Promise<ImportStatus[]> {
  const stub = env.CATALOG_IMPORT.get(env.CATALOG_IMPORT.idFromName(id))
  const seen: ImportStatus[] = []
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const ran = await runDurableObjectAlarm(stub)
    const { body } = await api<ImportStatus>(`/v1/products/imports/${id}`, { token: owner.accessToken })
    seen.push(body)
    if (body.status === 'completed' || body.status === 'failed') return seen
    if (!ran) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`import ${id} did not finish: ${JSON.stringify(seen.at(-1))}`)
}

/** Uploads a real run, waits for it to finish, and returns the final status. */
export async function importAndWait(owner: Account, body: string): Promise<ImportStatus> {
  const accepted = await upload<ImportStatus>(owner, body)
  if (accepted.res.status !== 202) throw new Error(`import not accepted: ${accepted.res.status} ${JSON.stringify(accepted.body)}`)
  const final = (await drain(owner, accepted.body.id)).at(-1)
  if (!final) throw new Error('no status')
  return final
}

/** Reads the export in `format` as text. */
export async function exportText(owner: Account, format: 'csv' | 'json'): Promise<{ res: Response; text: string }> {
  const res = await SELF.fetch(`${BASE}/v1/products/export?format=${format}`, { headers: { authorization: `Bearer ${owner.accessToken}` } })
  return { res, text: await res.text() }
}

/** Defines the same attributes and categories in a tenant (the import refers to them by key and slug). */
export async function catalogSetup(owner: Account): Promise<void> {
  const define = async (body: Record<string, unknown>) => {
    const { res, body: out } = await api('/v1/attributes', { token: owner.accessToken, body })
    if (res.status !== 201) throw new Error(`attribute not created: ${JSON.stringify(out)}`)
  }
  await define({ key: 'material', label: 'Material', type: 'list', options: ['steel', 'gold', 'titanium'] })
  await define({ key: 'features', label: 'Features', type: 'list', multiple: true, options: ['chrono', 'date', 'gmt'] })
  await define({ key: 'water_m', label: 'Water (m)', type: 'number' })
  await define({ key: 'strap', label: 'Strap', type: 'text', appliesTo: 'variant' })
  const category = await api('/v1/categories', { token: owner.accessToken, body: { name: 'Watches', slug: 'watches' } })
  if (category.res.status !== 201) throw new Error(`category not created: ${JSON.stringify(category.body)}`)
}

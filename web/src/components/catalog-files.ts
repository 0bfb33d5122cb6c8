// The catalog as CSV files through the API with the session's token: a dry run or a real import of a file the owner
// picked, the progress of a running import, and the export downloaded as a file.
import { ApiError } from '../api/errors'
import type { Schemas } from '../api/schema'
import { withToken } from './upload'

export type DryRun = Schemas['ImportDryRun']
export type CatalogImport = Schemas['CatalogImport']

async function send(path: string, init: RequestInit): Promise<Response> {
  const res = await withToken(async (token) => {
    const headers = new Headers(init.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    try {
      return await fetch(path, { ...init, headers })
    } catch {
      throw new ApiError(0, { code: 'network', message: 'The API cannot be reached; check the connection and try again' })
    }
  })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as Partial<Schemas['Error']> | null
    throw new ApiError(res.status, body?.error ?? { code: 'http_error', message: `The API answered ${res.status}` })
  }
  return res
}

/** Checks `csv` without writing anything: the per-row report. */
export async function dryRunImport(csv: string): Promise<DryRun> {
  return (await send('/v1/products/import?dryRun=true', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })).json() as Promise<DryRun>
}

/** Queues the import of `csv`; poll it with `importStatus`. */
export async function startImport(csv: string): Promise<CatalogImport> {
  return (await send('/v1/products/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv })).json() as Promise<CatalogImport>
}

/** The import's progress and, once finished, its counts and errors. */
export async function importStatus(id: string): Promise<CatalogImport> {
  return (await send(`/v1/products/imports/${encodeURIComponent(id)}`, { method: 'GET' })).json() as Promise<CatalogImport>
}

/** Downloads every product and variant as catalog.csv (the import format). */
export async function downloadExport(): Promise<void> {
  const blob = await (await send('/v1/products/export?format=csv', { method: 'GET' })).blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = 'catalog.csv'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}

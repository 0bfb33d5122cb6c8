// Where an archive job keeps its files in the MEDIA bucket: numbered JSON-lines parts and, for exports, a manifest.

/** The R2 prefix of one archive job. */
export function archivePrefix(tenantId: string, archiveId: string): string {
  return `archives/${tenantId}/${archiveId}/`
}

/** The key of part `n` (from 1), zero-padded so keys sort in order. */
export function archivePartKey(prefix: string, n: number): string {
  return `${prefix}part-${String(n).padStart(6, '0')}.jsonl`
}

/** The key of an export's manifest (written last: its presence means the parts are complete). */
export function manifestKey(prefix: string): string {
  return `${prefix}manifest.json`
}

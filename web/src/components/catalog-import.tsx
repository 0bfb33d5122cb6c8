// CSV import and export on the product list: pick a file, read the dry run's report row by row, then run the import
// and follow its progress until it finishes; or download the whole catalog in the same format.
import { useEffect, useId, useState } from 'preact/hooks'
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { downloadExport, dryRunImport, importStatus, startImport, type CatalogImport, type DryRun } from './catalog-files'
import { ErrorBanner } from './ui'

/** How often a running import is read again. */
const POLL_MS = 1_000
/** Rows of the error report shown; the rest are counted. */
const SHOWN_ERRORS = 100

function Counts(props: { counts: DryRun['counts'] }) {
  const { created, updated, unchanged, failed } = props.counts
  return (
    <ul class="import-counts">
      <li>{t('productList.importCreated', { count: created })}</li>
      <li>{t('productList.importUpdated', { count: updated })}</li>
      <li>{t('productList.importUnchanged', { count: unchanged })}</li>
      <li class={failed > 0 ? 'field-error' : undefined}>{t('productList.importFailed', { count: failed })}</li>
    </ul>
  )
}

function RowErrors(props: { errors: DryRun['errors'] }) {
  if (props.errors.length === 0) return null
  return (
    <div class="table-wrap">
      <table class="import-errors" aria-label={t('productList.importErrors')}>
        <thead>
          <tr>
            <th scope="col">{t('productList.importRow')}</th>
            <th scope="col">{t('productList.importField')}</th>
            <th scope="col">{t('productList.importProblem')}</th>
          </tr>
        </thead>
        <tbody>
          {props.errors.slice(0, SHOWN_ERRORS).map((error) => (
            <tr key={`${error.row}-${error.field}`}>
              <td class="num">{formatNumber(error.row)}</td>
              <td>
                <code>{error.field}</code>
              </td>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.errors.length > SHOWN_ERRORS ? <p class="muted">{t('productList.importMoreErrors', { count: props.errors.length - SHOWN_ERRORS })}</p> : null}
    </div>
  )
}

/** The import/export card; `onImported` runs when an import finishes so the list reloads. */
export function CatalogImportPanel(props: { onImported: () => void }) {
  const inputId = useId()
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null)
  const [report, setReport] = useState<DryRun | null>(null)
  const [running, setRunning] = useState<CatalogImport | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const guarded = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  const pick = (file: File | undefined) => {
    setReport(null)
    setRunning(null)
    if (!file) return setCsv(null)
    void guarded(async () => {
      const text = await file.text()
      setCsv({ name: file.name, text })
      setReport(await dryRunImport(text))
    })
  }

  const finished = running !== null && (running.status === 'completed' || running.status === 'failed')
  useEffect(() => {
    if (!running || finished) return
    const timer = setTimeout(() => void importStatus(running.id).then(setRunning, setError), POLL_MS)
    return () => clearTimeout(timer)
  }, [running, finished])
  useEffect(() => {
    if (finished) props.onImported()
  }, [finished])

  const valid = report ? report.totalRows - report.counts.failed : 0
  return (
    <details class="card import-panel">
      <summary>{t('productList.importExport')}</summary>
      <div class="import-actions">
        <button type="button" disabled={busy} onClick={() => void guarded(downloadExport)}>
          {t('productList.exportCsv')}
        </button>
        <label class="button" for={inputId}>
          {t('productList.importPick')}
        </label>
        <input id={inputId} class="visually-hidden" type="file" accept=".csv,text/csv" onChange={(e) => pick(e.currentTarget.files?.[0])} />
        {csv ? <span class="muted">{csv.name}</span> : null}
      </div>
      <small class="hint">{t('productList.importHint')}</small>
      <ErrorBanner error={error} />
      {report && !running ? (
        <section class="import-report" aria-label={t('productList.importReport')}>
          <h3>{t('productList.importDryRun', { count: report.totalRows })}</h3>
          <Counts counts={report.counts} />
          <RowErrors errors={report.errors} />
          <button type="button" class="primary" disabled={busy || valid === 0} onClick={() =>
              void guarded(async () => {
                if (csv) setRunning(await startImport(csv.text))
              })
            }>
            {t('productList.importRun', { count: valid })}
          </button>
        </section>
      ) : null}
      {running ? (
        <section class="import-report" aria-label={t('productList.importProgress')}>
          <p class="import-status" role="status">
            {running.status === 'completed'
              ? t('productList.importDone')
              : running.status === 'failed'
                ? t('productList.importStopped', { reason: running.failureReason ?? '' })
                : t('productList.importRunning', { done: running.processedRows, total: running.totalRows })}
          </p>
          <progress max={Math.max(1, running.totalRows)} value={running.processedRows} aria-label={t('productList.importProgress')} />
          <Counts counts={running.counts} />
          <RowErrors errors={running.errors} />
        </section>
      ) : null}
    </details>
  )
}

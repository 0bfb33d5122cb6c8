// The search playground: query the catalog with an image (dropped or picked) or a text and see the ranked products, the
// detected category and the time taken, with a minimum-score slider that filters what is shown and the next search.
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Schemas } from '../api/schema'
import { currentAccessToken, refreshAccessToken } from '../api/session'
import { dropZoneHandlers } from '../components/drop-zone'
import { SearchResults } from '../components/search-results'
import { EmptyState, PageHeader } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatNumber } from '../i18n/format'

type SearchResponse = Schemas['SearchResponse']

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif'
/** Friendlier words for the search errors an admin can meet; anything else shows the API's own message. */
const ERROR_TEXT: Record<string, MessageKey> = {
  model_unavailable: 'search.error.model_unavailable',
  service_unavailable: 'search.error.service_unavailable',
  rate_limited: 'search.error.rate_limited',
}

/** `POST /v1/search/image` with the file as multipart `image` (the typed client sends JSON only). */
async function searchByImage(file: File, minScore: number): Promise<SearchResponse> {
  const url = `/v1/search/image?min_score=${minScore}`
  const send = async (token: string | null) => {
    const form = new FormData()
    form.append('image', file)
    try {
      return await fetch(url, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form })
    } catch {
      throw new ApiError(0, { code: 'network', message: 'The API cannot be reached; check the connection and try again' })
    }
  }
  let res = await send(currentAccessToken())
  if (res.status === 401) {
    const token = await refreshAccessToken()
    if (token) res = await send(token)
  }
  const body = (await res.json().catch(() => null)) as unknown
  if (!res.ok) {
    const error = (body as Partial<Schemas['Error']> | null)?.error
    throw new ApiError(res.status, error ?? { code: 'http_error', message: `The API answered ${res.status}` })
  }
  return body as SearchResponse
}

function searchErrorText(error: unknown): string {
  const key = error instanceof ApiError ? ERROR_TEXT[error.code] : undefined
  return key ? t(key) : errorMessage(error)
}

/** A preview of the query image from its object URL, released when the image changes. */
function useObjectUrl(file: File | null): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!file) {
      setUrl(null)
      return
    }
    const objectUrl = URL.createObjectURL(file)
    setUrl(objectUrl)
    return () => URL.revokeObjectURL(objectUrl)
  }, [file])
  return url
}

/** Search by image or text. */
export function SearchPage() {
  const [text, setText] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [minPercent, setMinPercent] = useState(0)
  const [answer, setAnswer] = useState<SearchResponse | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [searching, setSearching] = useState(false)
  const [over, setOver] = useState(false)
  const latest = useRef(0)
  const preview = useObjectUrl(file)
  const inputId = useId()
  const textId = useId()
  const sliderId = useId()

  /** Runs one search, keeping the last answer or error on screen until it settles; an older search never wins. */
  const run = async (search: (minScore: number) => Promise<SearchResponse>) => {
    const ticket = ++latest.current
    setSearching(true)
    try {
      const result = await search(minPercent / 100)
      if (ticket !== latest.current) return
      setAnswer(result)
      setError(null)
    } catch (caught) {
      if (ticket === latest.current) setError(caught)
    } finally {
      if (ticket === latest.current) setSearching(false)
    }
  }
  const searchImage = (picked: File | undefined) => {
    if (!picked) return
    setFile(picked)
    void run((minScore) => searchByImage(picked, minScore))
  }
  const searchText = () => {
    const query = text.trim()
    if (!query) return
    setFile(null)
    void run((minScore) => api.post('/v1/search/text', { query: { min_score: minScore }, body: { query } }))
  }

  return (
    <section class="search-page">
      <PageHeader title={t('nav.search')} />
      <div class="search-inputs">
        <div class={`dropzone search-drop${over ? ' dropzone--over' : ''}`} {...dropZoneHandlers(setOver, (files) => searchImage(files[0]))}>
          <div class="search-preview">{preview ? <img src={preview} alt={t('search.queryImage')} /> : null}</div>
          <p>{t('search.dropHere')}</p>
          <label class="button" for={inputId}>
            {t('search.byImage')}
          </label>
          <input
            id={inputId}
            class="visually-hidden"
            type="file"
            accept={ACCEPT}
            onChange={(e) => {
              searchImage(e.currentTarget.files?.[0])
              e.currentTarget.value = ''
            }}
          />
        </div>
        <form
          class="search-text"
          onSubmit={(e) => {
            e.preventDefault()
            searchText()
          }}
        >
          <div class="field">
            <label for={textId}>{t('search.byText')}</label>
            <div class="search-text-row">
              <input id={textId} type="search" value={text} maxLength={500} placeholder={t('search.placeholder')} onInput={(e) => setText(e.currentTarget.value)} />
              <button type="submit" class="primary" disabled={!text.trim()}>
                {t('search.submit')}
              </button>
            </div>
          </div>
          <div class="field">
            <label for={sliderId}>{t('search.minScore')}</label>
            <div class="search-slider-row">
              <input id={sliderId} type="range" min={0} max={100} step={1} value={minPercent} aria-valuetext={formatNumber(minPercent / 100, { style: 'percent' })} onInput={(e) => setMinPercent(Number(e.currentTarget.value))} />
              <output for={sliderId}>{formatNumber(minPercent / 100, { style: 'percent' })}</output>
            </div>
            <small class="hint">{t('search.minScoreHint')}</small>
          </div>
        </form>
      </div>
      <p class="search-status" role="status">
        {searching ? t('search.searching') : ''}
      </p>
      {error ? (
        <p class="banner banner--error" role="alert">
          {searchErrorText(error)}
        </p>
      ) : null}
      <div class={`search-area${searching ? ' search-area--busy' : ''}`} aria-busy={searching}>
        {answer ? (
          <SearchResults answer={answer} minScore={minPercent / 100} />
        ) : (
          <EmptyState title={t('search.empty')}>
            <p>{t('search.emptyText')}</p>
          </EmptyState>
        )}
      </div>
    </section>
  )
}

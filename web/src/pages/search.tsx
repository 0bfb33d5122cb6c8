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

type SearchResponse = Schemas['SearchResponse']

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif'
/** Friendlier words for the search errors an admin can meet; anything else shows the API's own message. */
const ERROR_TEXT: Record<string, string> = {
  model_unavailable: 'The search model is not available',
  service_unavailable: 'The search service cannot be reached; try again shortly',
  rate_limited: 'The search service is busy; try again in a moment',
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
  return (error instanceof ApiError ? ERROR_TEXT[error.code] : undefined) ?? errorMessage(error)
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
      <PageHeader title="Search" />
      <div class="search-inputs">
        <div class={`dropzone search-drop${over ? ' dropzone--over' : ''}`} {...dropZoneHandlers(setOver, (files) => searchImage(files[0]))}>
          <div class="search-preview">{preview ? <img src={preview} alt="The query image" /> : null}</div>
          <p>Drop an image here, or</p>
          <label class="button" for={inputId}>
            Search by image
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
            <label for={textId}>Search by text</label>
            <div class="search-text-row">
              <input id={textId} type="search" value={text} maxLength={500} placeholder="e.g. red leather strap" onInput={(e) => setText(e.currentTarget.value)} />
              <button type="submit" class="primary" disabled={!text.trim()}>
                Search
              </button>
            </div>
          </div>
          <div class="field">
            <label for={sliderId}>Minimum score</label>
            <div class="search-slider-row">
              <input id={sliderId} type="range" min={0} max={100} step={1} value={minPercent} aria-valuetext={`${minPercent} %`} onInput={(e) => setMinPercent(Number(e.currentTarget.value))} />
              <output for={sliderId}>{minPercent} %</output>
            </div>
            <small class="hint">Hides weaker results now and is sent with the next search.</small>
          </div>
        </form>
      </div>
      <p class="search-status" role="status">
        {searching ? 'Searching…' : ''}
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
          <EmptyState title="No search yet">
            <p>Drop or pick an image, or type a few words, to see the products that match best.</p>
          </EmptyState>
        )}
      </div>
    </section>
  )
}

// The Search page's answer: the detected category, timing, and the ranked products with thumbnails and scores.
import { useEffect, useState } from 'preact/hooks'
import type { Schemas } from '../api/schema'
import { linkClick } from '../router'
import { EmptyState } from './ui'
import { fetchMedia } from './upload'

type SearchResponse = Schemas['SearchResponse']

/** A 0–1 score as a percentage with one decimal, e.g. `87.5 %`. */
export function percent(score: number): string {
  return `${(score * 100).toFixed(1)} %`
}

/** A result's thumbnail read with the session's token (a draft product's image is not public); keeps its box while loading. */
function Thumb(props: { path: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    let objectUrl: string | null = null
    setSrc(null)
    fetchMedia(props.path, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob)
        setSrc(objectUrl)
      },
      () => undefined,
    )
    return () => {
      controller.abort()
      if (objectUrl) URL.revokeObjectURL(objectUrl)
    }
  }, [props.path])
  return <div class={`result-thumb${src ? '' : ' image-thumb--loading'}`}>{src ? <img src={src} alt={props.alt} /> : null}</div>
}

/** The detected category with its score and its lead over the runner-up, or a note that none was detected. */
function CategoryLine(props: { category: SearchResponse['category'] }) {
  const { category } = props
  if (!category) return <span>No category detected</span>
  return (
    <span>
      Detected category <strong>{category.name}</strong> · {percent(category.score)} · margin {(category.margin * 100).toFixed(1)} pts
    </span>
  )
}

/** The answer of the last search, showing only results scoring at least `minScore` (0–1). */
export function SearchResults(props: { answer: SearchResponse; minScore: number }) {
  const { answer, minScore } = props
  const shown = answer.results.filter((result) => result.score >= minScore)
  const hidden = answer.results.length - shown.length
  return (
    <div class="search-answer">
      <p class="search-summary" aria-label="Search summary">
        <CategoryLine category={answer.category} />
        <span class="muted">
          {answer.results.length} {answer.results.length === 1 ? 'result' : 'results'} in {answer.tookMs} ms
        </span>
      </p>
      {shown.length === 0 ? (
        <EmptyState title="No matches">
          <p>{hidden > 0 ? `${hidden} below the minimum score; lower it to see them.` : 'Nothing in the catalog looks like this query.'}</p>
        </EmptyState>
      ) : (
        <ol class="search-results" aria-label="Results">
          {shown.map((result, index) => (
            <li key={result.product.id} class="search-result card" aria-label={result.product.name} data-product-id={result.product.id}>
              <span class="result-rank">{index + 1}</span>
              <Thumb path={result.image.thumbnails.small} alt={result.product.name} />
              <div class="result-text">
                <a href={`/products/${encodeURIComponent(result.product.id)}`} onClick={linkClick}>
                  {result.product.name}
                </a>
                {result.product.status === 'active' ? null : <span class={`badge badge--${result.product.status}`}>{result.product.status}</span>}
              </div>
              <span class="result-score" aria-label="Score">
                {percent(result.score)}
              </span>
              <div class="meter result-meter" aria-hidden="true">
                <div class="meter-fill" style={{ width: `${Math.max(0, result.score) * 100}%` }} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {shown.length > 0 && hidden > 0 ? (
        <p class="muted">
          {hidden} {hidden === 1 ? 'result is' : 'results are'} below the minimum score.
        </p>
      ) : null}
    </div>
  )
}

// The Search page's answer: the detected category, timing, and the ranked products with thumbnails and scores.
import { useEffect, useState } from 'preact/hooks'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatNumber } from '../i18n/format'
import { linkClick } from '../router'
import { EmptyState } from './ui'
import { fetchMedia } from './upload'

type SearchResponse = Schemas['SearchResponse']

/** A 0–1 score as a percentage with one decimal in the UI's language, e.g. `87.5%`. */
export function percent(score: number): string {
  return formatNumber(score, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
}

const STATUS_LABELS: Record<string, MessageKey> = { draft: 'product.status.draft', active: 'product.status.active', archived: 'product.status.archived' }

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
  if (!category) return <span>{t('search.noCategory')}</span>
  return (
    <span>
      {t('search.detectedCategory')} <strong>{category.name}</strong>{' '}
      {t('search.categoryScore', { score: percent(category.score), margin: formatNumber(category.margin * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}
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
      <p class="search-summary" aria-label={t('search.summary')}>
        <CategoryLine category={answer.category} />
        <span class="muted">
          {t('search.resultCount', { count: answer.results.length, ms: answer.tookMs })}
        </span>
      </p>
      {shown.length === 0 ? (
        <EmptyState title={t('search.noMatches')}>
          <p>{hidden > 0 ? t('search.allHidden', { count: hidden }) : t('search.nothingLikeIt')}</p>
        </EmptyState>
      ) : (
        <ol class="search-results" aria-label={t('search.results')}>
          {shown.map((result, index) => (
            <li key={result.product.id} class="search-result card" aria-label={result.product.name} data-product-id={result.product.id}>
              <span class="result-rank">{index + 1}</span>
              <Thumb path={result.image.thumbnails.small} alt={result.product.name} />
              <div class="result-text">
                <a href={`/products/${encodeURIComponent(result.product.id)}`} onClick={linkClick}>
                  {result.product.name}
                </a>
                {result.product.status === 'active' ? null : <span class={`badge badge--${result.product.status}`}>{STATUS_LABELS[result.product.status] ? t(STATUS_LABELS[result.product.status] ?? 'product.status.draft') : result.product.status}</span>}
              </div>
              <span class="result-score" aria-label={t('search.score')}>
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
          {t('search.someHidden', { count: hidden })}
        </p>
      ) : null}
    </div>
  )
}

// The inventory page's summary (the seed panel's figures): levels counted, out of stock, low, and units available,
// over the levels the filters show.
import { t } from '../i18n'
import { formatNumber } from '../i18n/format'
import { stockState, type Level } from '../stock'

/** Four stat cards computed from `levels`; they follow live updates because the page re-renders with them. */
export function InventoryStats(props: { levels: Level[] }) {
  let out = 0
  let low = 0
  let available = 0
  for (const level of props.levels) {
    const state = stockState(level)
    if (state === 'out') out++
    if (state === 'low') low++
    available += Math.max(0, level.available)
  }
  return (
    <dl class="stats" aria-label={t('stockPage.stats')}>
      <div class="stat">
        <dt>{t('stockPage.statTotal')}</dt>
        <dd data-testid="stat-total">{formatNumber(props.levels.length)}</dd>
      </div>
      <div class="stat stat--out">
        <dt>{t('stockPage.statOut')}</dt>
        <dd data-testid="stat-out">{formatNumber(out)}</dd>
      </div>
      <div class="stat stat--low">
        <dt>{t('stockPage.statLow')}</dt>
        <dd data-testid="stat-low">{formatNumber(low)}</dd>
      </div>
      <div class="stat stat--ok">
        <dt>{t('stockPage.statAvailable')}</dt>
        <dd data-testid="stat-available">{formatNumber(available)}</dd>
      </div>
    </dl>
  )
}

// A small bar chart in inline SVG: one bar per day, labelled for screen readers with a table fallback.

/** One bar. */
export interface Bar {
  label: string
  value: number
}

const HEIGHT = 160
const GAP = 2

/** Bars scaled to the largest value; the first and last labels sit under the axis; `formatValue` shows amounts (money). */
export function BarChart(props: { bars: Bar[]; title: string; formatLabel?: (label: string) => string; formatValue?: (value: number) => string }) {
  const format = props.formatLabel ?? ((label: string) => label)
  const value = props.formatValue ?? ((amount: number) => String(amount))
  // The largest bar fills the height whatever the unit (cents of a dollar too); all zeros draw flat.
  const max = Math.max(0, ...props.bars.map((b) => b.value)) || 1
  const width = Math.max(props.bars.length * 12, 120)
  const barWidth = width / Math.max(props.bars.length, 1) - GAP
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT + 16}`} role="img" aria-label={`${props.title}: ${props.bars.map((b) => `${format(b.label)} ${value(b.value)}`).join(', ')}`} preserveAspectRatio="none">
        <line x1={0} y1={HEIGHT} x2={width} y2={HEIGHT} class="chart-axis" />
        {props.bars.map((bar, i) => {
          const height = (bar.value / max) * (HEIGHT - 8)
          return (
            <rect key={bar.label} x={i * (barWidth + GAP)} y={HEIGHT - height} width={barWidth} height={height} class="chart-bar">
              <title>
                {format(bar.label)}: {value(bar.value)}
              </title>
            </rect>
          )
        })}
      </svg>
      <figcaption>
        <span>{props.bars[0] ? format(props.bars[0].label) : null}</span>
        <span>{props.title}</span>
        <span>{props.bars.length > 0 ? format(props.bars.at(-1)?.label ?? '') : null}</span>
      </figcaption>
    </figure>
  )
}

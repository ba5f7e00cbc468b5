import { Text } from "@medusajs/ui"
import { formatDay } from "../lib/format"

/** The UI's tag colours, as CSS variables, for up to six series. */
const COLORS = [
  "var(--tag-blue-icon)",
  "var(--tag-orange-icon)",
  "var(--tag-green-icon)",
  "var(--tag-purple-icon)",
  "var(--tag-red-icon)",
  "var(--tag-neutral-icon)",
]

export type DaySeries = { key: string; label: string }

/**
 * Stacked bars, one per day, drawn as plain SVG with the admin's colour
 * tokens; a legend names each series with its total over the period.
 */
export function DayBars({
  days,
  series,
  valueOf,
  locale,
  testId,
  emptyText,
}: {
  days: string[]
  series: DaySeries[]
  valueOf: (day: number, key: string) => number
  locale?: string
  testId: string
  emptyText: string
}) {
  const totals = series.map((s) => days.reduce((sum, _, index) => sum + valueOf(index, s.key), 0))
  const dayTotals = days.map((_, index) => series.reduce((sum, s) => sum + valueOf(index, s.key), 0))
  const max = Math.max(1, ...dayTotals)
  const width = 600
  const height = 120
  const gap = 2
  // A scale on the left: the day's highest count and half of it, with light lines across.
  const left = 28
  const plot = width - left
  const barWidth = days.length ? plot / days.length - gap : 0
  const yOf = (value: number) => height - (value / max) * (height - 4)
  const ticks = [...new Set([Math.round(max / 2), max])].filter((tick) => tick > 0)
  if (!dayTotals.some((value) => value > 0)) {
    return (
      <Text size="small" className="text-ui-fg-subtle" data-testid={testId}>
        {emptyText}
      </Text>
    )
  }
  return (
    <div className="flex flex-col gap-y-2" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height + 16}`} className="h-36 w-full" role="img" aria-label={series.map((s, i) => `${s.label}: ${totals[i]}`).join(", ")}>
        <line x1={left} x2={width} y1={height} y2={height} style={{ stroke: "var(--border-base)" }} />
        <text x={left - 6} y={height} textAnchor="end" dominantBaseline="middle" style={{ fill: "var(--fg-muted)", fontSize: 10 }}>
          0
        </text>
        {ticks.map((tick) => (
          <g key={tick} data-testid={`${testId}-tick`}>
            <line x1={left} x2={width} y1={yOf(tick)} y2={yOf(tick)} strokeDasharray="2 3" style={{ stroke: "var(--border-base)" }} />
            <text x={left - 6} y={yOf(tick)} textAnchor="end" dominantBaseline="middle" style={{ fill: "var(--fg-muted)", fontSize: 10 }}>
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          let y = height
          return (
            <g key={day}>
              <title>{`${formatDay(day, locale)}: ${dayTotals[index]}`}</title>
              {series.map((s, seriesIndex) => {
                const value = valueOf(index, s.key)
                if (!value) {
                  return null
                }
                const h = (value / max) * (height - 4)
                y -= h
                return (
                  <rect
                    key={s.key}
                    x={left + index * (barWidth + gap)}
                    y={y}
                    width={Math.max(barWidth, 1)}
                    height={h}
                    rx={1}
                    style={{ fill: COLORS[seriesIndex % COLORS.length] }}
                  />
                )
              })}
            </g>
          )
        })}
        {days.length > 0 && (
          <>
            <text x={left} y={height + 13} style={{ fill: "var(--fg-muted)", fontSize: 10 }}>
              {formatDay(days[0], locale)}
            </text>
            <text x={width} y={height + 13} textAnchor="end" style={{ fill: "var(--fg-muted)", fontSize: 10 }}>
              {formatDay(days[days.length - 1], locale)}
            </text>
          </>
        )}
      </svg>
      <ul className="flex flex-wrap gap-x-4 gap-y-1">
        {series.map((s, index) => (
          <li key={s.key} className="flex items-center gap-x-1.5">
            <span className="inline-block size-2 rounded-full" style={{ background: COLORS[index % COLORS.length] }} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s.label}: {totals[index]}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The statistics chart, in its own chunk: recharts is ~130 KB gzipped, more
 * than the rest of the dashboard, so the page's first screen (the
 * high-priority table) does not wait for it (the 200 KB first-screen budget
 * in scripts/size-budget.mjs counts only what the dashboard imports statically).
 */
import { BarChart } from '@mantine/charts'
import '@mantine/charts/styles.css'
import { chartHeight, type ChartRow } from './chart'

const palette = ['green.6', 'gray.5', 'blue.6', 'yellow.6', 'grape.6', 'cyan.6']

export default function StatsChart({ rows, series }: { rows: ChartRow[]; series: string[] }) {
  return (
    <BarChart
      h={chartHeight(rows.length)}
      data={rows}
      dataKey="department"
      orientation="vertical"
      type="stacked"
      withLegend
      yAxisProps={{ width: 120 }}
      series={series.map((s, i) => ({
        name: s,
        color: palette[i % palette.length] ?? 'gray.6',
      }))}
      data-testid="stats-chart"
    />
  )
}

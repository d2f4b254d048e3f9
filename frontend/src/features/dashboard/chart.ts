import type { Schema } from '../../api/types'

type Stats = Schema<'Stats'>

export interface ChartRow {
  department: string
  total: number
  [status: string]: string | number
}

/**
 * Reshapes GET /stats (tickets per department × status) for a stacked bar
 * chart: one row per department that has tickets, one series per status.
 */
export function chartData(
  stats: Stats | undefined,
  statusLabel: (id: number | undefined, name: string | undefined) => string,
): { rows: ChartRow[]; series: string[] } {
  const series: string[] = []
  const rows: ChartRow[] = []
  for (const d of stats?.departments ?? []) {
    const row: ChartRow = { department: d.department, total: 0 }
    for (const s of d.statuses) {
      const name = statusLabel(s.status_id, s.status)
      if (!series.includes(name)) series.push(name)
      row[name] = s.count
      row.total += s.count
    }
    if (row.total > 0) rows.push(row)
  }
  return { rows, series }
}

/** The chart's height, also its placeholder's while its code loads (no jump). */
export const chartHeight = (rows: number) => Math.max(200, rows * 48)

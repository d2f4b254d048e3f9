import { lazy, Suspense } from 'react'
import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useLabels } from '../../components/labels'
import { formatDate, ticketNumber } from '../../i18n/format'
import { getStats } from './api'
import { chartData, chartHeight } from './chart'
import classes from './DashboardPage.module.css'
import { MyWork } from './MyWork'

// Below the fold and the heaviest code of the page: loaded on its own once
// there is something to draw (see StatsChart).
const StatsChart = lazy(() => import('./StatsChart'))

export function DashboardPage() {
  const { t } = useTranslation()
  const labels = useLabels()
  const stats = useQuery({ queryKey: ['stats'], queryFn: getStats })
  const { rows, series } = chartData(stats.data, labels.status)

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dashboard.title')}
      </Title>
      <MyWork />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('dashboard.highPriority')}
        </Title>
        {stats.data?.high_priority_open.length === 0 ? (
          <Text c="dimmed">{t('dashboard.noHighPriority')}</Text>
        ) : null}
        {/* Plain elements, scrolling natively (focusable, for keyboards):
            Mantine's Table brings its ScrollArea and floating-ui, ~17 KB
            gzipped on the first screen after sign-in. */}
        <div className={classes.scroll} tabIndex={0}>
          <table className={classes.table} data-testid="high-priority">
            <tbody>
              {(stats.data?.high_priority_open ?? []).map((tk) => (
                <tr key={tk.id}>
                  <td>
                    <Anchor component={Link} to={`/tickets/${tk.id}`} size="sm">
                      {`#${ticketNumber(tk.id)} ${tk.title}`}
                    </Anchor>
                  </td>
                  <td>{`${tk.department} / ${tk.category}`}</td>
                  <td>{tk.assigned_to?.name ?? t('tickets.unassigned')}</td>
                  <td>{formatDate(tk.date_added)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('dashboard.statistics')}
        </Title>
        <ErrorBanner error={stats.error} />
        {stats.data && rows.length === 0 ? (
          <Text c="dimmed">{t('dashboard.noTickets')}</Text>
        ) : null}
        {rows.length > 0 ? (
          <Stack>
            <Suspense
              fallback={<Skeleton h={chartHeight(rows.length)} data-testid="stats-chart-loading" />}
            >
              <StatsChart rows={rows} series={series} />
            </Suspense>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {rows.map((r) => (
                <Group key={r.department} justify="space-between" wrap="nowrap">
                  <Text size="sm" truncate>
                    {r.department}
                  </Text>
                  <Badge variant="light">{t('dashboard.total', { count: r.total })}</Badge>
                </Group>
              ))}
            </SimpleGrid>
          </Stack>
        ) : null}
      </Card>
    </Stack>
  )
}

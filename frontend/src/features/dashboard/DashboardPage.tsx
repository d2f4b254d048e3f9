import { BarChart } from '@mantine/charts'
import '@mantine/charts/styles.css'
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useLabels } from '../../components/labels'
import { formatDate, ticketNumber } from '../../i18n/format'
import { getStats } from './api'
import { chartData } from './chart'
import { MyWork } from './MyWork'

const palette = ['green.6', 'gray.5', 'blue.6', 'yellow.6', 'grape.6', 'cyan.6']

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
        <Table.ScrollContainer minWidth={480} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table data-testid="high-priority">
            <Table.Tbody>
              {(stats.data?.high_priority_open ?? []).map((tk) => (
                <Table.Tr key={tk.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${tk.id}`}>
                      {`#${ticketNumber(tk.id)} ${tk.title}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{`${tk.department} / ${tk.category}`}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{tk.assigned_to?.name ?? t('tickets.unassigned')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(tk.date_added)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
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
            <BarChart
              h={Math.max(200, rows.length * 48)}
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

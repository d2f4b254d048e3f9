/**
 * The personal part of the dashboard (issue 13 §4e): assigned to me, waiting
 * on me, recently updated that I follow — each with its total, its first
 * tickets (unread ones bold) and a "see all" link to the matching list.
 */
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, unwrap } from '../../api/client'
import type { Schema } from '../../api/types'
import { ticketNumber } from '../../i18n/format'

const getMyDashboard = () => unwrap(api.GET('/flicket-api/me/dashboard'))

const sections = [
  { key: 'assigned', title: 'dashboard.assignedToMe', empty: 'dashboard.noneAssigned' },
  { key: 'waiting', title: 'dashboard.waitingOnMe', empty: 'dashboard.noneWaiting' },
  { key: 'following', title: 'dashboard.following', empty: 'dashboard.noneFollowing' },
] as const

export function MyWork() {
  const { t } = useTranslation()
  const work = useQuery({ queryKey: ['my', 'dashboard'], queryFn: getMyDashboard })
  return (
    // No banner of its own: the statistics' below says when the server fails.
    <>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md" data-testid="my-work">
        {sections.map((s) => (
          <Section
            key={s.key}
            id={s.key}
            title={t(s.title)}
            empty={t(s.empty)}
            data={work.data?.[s.key]}
          />
        ))}
      </SimpleGrid>
    </>
  )
}

function Section({
  id,
  title,
  empty,
  data,
}: {
  id: string
  title: string
  empty: string
  data: Schema<'DashboardSection'> | undefined
}) {
  const { t } = useTranslation()
  return (
    <Card withBorder data-testid={`my-${id}`}>
      <Group justify="space-between" wrap="nowrap" mb="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {data ? (
          <Badge variant="light" color="blue.9" data-testid={`my-${id}-total`}>
            {data.total}
          </Badge>
        ) : null}
      </Group>
      <Stack gap={4}>
        {data?.items.length === 0 ? (
          <Text size="sm" c="gray.7">
            {empty}
          </Text>
        ) : null}
        {(data?.items ?? []).map((tk) => (
          <Anchor
            key={tk.id}
            component={Link}
            to={`/tickets/${tk.id}`}
            size="sm"
            fw={tk.unread ? 700 : 400}
            truncate
            data-unread={tk.unread ? '' : undefined}
          >
            {`#${ticketNumber(tk.id)} ${tk.title}`}
          </Anchor>
        ))}
        {data && data.total > 0 ? (
          <Anchor
            component={Link}
            to={`/tickets?${data.query}`}
            size="sm"
            mt={4}
            data-testid={`my-${id}-all`}
          >
            {t('dashboard.seeAll', { count: data.total })}
          </Anchor>
        ) : null}
      </Stack>
    </Card>
  )
}

import { Anchor, Avatar, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { isApiError } from '../../api/errors'
import { ErrorBanner } from '../../components/ErrorBanner'
import { formatDate, formatNumber } from '../../i18n/format'
import { getUser } from './api'

export function ProfilePage() {
  const { t } = useTranslation()
  const id = Number(useParams().id)
  const user = useQuery({ queryKey: ['user', id], queryFn: () => getUser(id), enabled: id > 0 })
  if (isApiError(user.error) && user.error.status === 404) {
    return <ErrorBanner error={user.error} title={t('errors.notFoundTitle')} />
  }
  const u = user.data
  if (!u) return <ErrorBanner error={user.error} />
  const item = (label: string, value: React.ReactNode) => (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text>{value}</Text>
    </div>
  )
  return (
    <Stack>
      <Group>
        <Avatar src={u.avatar} size="xl" radius="xl" alt={t('users.avatarOf', { name: u.name })} />
        <div>
          <Title order={1} size="h2" data-testid="profile-name">
            {u.name}
          </Title>
          <Text c="dimmed">{u.username}</Text>
        </div>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {item(t('users.email'), <Anchor href={`mailto:${u.email}`}>{u.email}</Anchor>)}
          {item(t('users.jobTitle'), u.job_title)}
          {item(t('users.joined'), formatDate(u.date_added))}
          {item(
            t('users.posts'),
            <Anchor component={Link} to={`/tickets?state=all&created_id=${u.id}`}>
              {formatNumber(u.total_posts)}
            </Anchor>,
          )}
          {item(
            t('users.assigned'),
            <Anchor component={Link} to={`/tickets?assigned_id=${u.id}`}>
              {formatNumber(u.total_assigned)}
            </Anchor>,
          )}
        </SimpleGrid>
      </Paper>
    </Stack>
  )
}

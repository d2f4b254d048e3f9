import type { ReactNode } from 'react'
import { Anchor, Group, Paper, Stack, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { UserRef } from '../api/types'
import { formatDateTime, formatNumber } from '../i18n/format'

interface Props {
  author: Pick<UserRef, 'id' | 'name'> | null
  /** Say "former user" when the author's account is gone (replies do). */
  formerUser?: boolean
  date: string
  /** The buttons at the right of the header. */
  actions: ReactNode
  /** The text: rendered markdown, or the form that edits it. */
  children: ReactNode
  dateModified: string | null
  modifiedBy: UserRef | null
  /** The link to the earlier versions, shown once the text was edited. */
  history: ReactNode
  hours: number
  attachments: ReactNode
  id?: string
  testId: string
}

/** The ticket's opening message or a reply: author, date, text, edits, hours, attachments. */
export function PostCard({
  author,
  formerUser = false,
  date,
  actions,
  children,
  dateModified,
  modifiedBy,
  history,
  hours,
  attachments,
  id,
  testId,
}: Props) {
  const { t } = useTranslation()
  return (
    <Paper withBorder p="md" id={id} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">
            {author?.id ? (
              <Anchor component={Link} to={`/users/${author.id}`} fw={600}>
                {author.name}
              </Anchor>
            ) : formerUser ? (
              <Text span fw={600}>
                {t('posts.formerUser')}
              </Text>
            ) : null}{' '}
            <Text span c="dimmed" size="sm">
              {formatDateTime(date)}
            </Text>
          </Text>
          {actions}
        </Group>
        {children}
        {dateModified ? (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t('posts.modifiedBy', {
                name: modifiedBy?.name ?? '?',
                date: formatDateTime(dateModified),
              })}
            </Text>
            {history}
          </Group>
        ) : null}
        {hours ? (
          <Text size="xs" c="dimmed">
            {t('tickets.hours', { hours: formatNumber(hours) })}
          </Text>
        ) : null}
        {attachments}
      </Stack>
    </Paper>
  )
}

import { Group, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Schema } from '../../api/types'
import { useLabels } from '../../components/labels'
import { formatDateTime } from '../../i18n/format'
import { listActions, ticketKeys } from './api'

type Action = Schema<'Action'>

export function useActions(ticketId: number) {
  return useQuery({ queryKey: ticketKeys.actions(ticketId), queryFn: () => listActions(ticketId) })
}

/** Groups a ticket's actions by the reply they follow (null: before any reply). */
export function actionsByPost(actions: Action[] | undefined): Map<number | null, Action[]> {
  const m = new Map<number | null, Action[]>()
  for (const a of actions ?? []) {
    const k = a.post_id ?? null
    const list = m.get(k) ?? []
    list.push(a)
    m.set(k, list)
  }
  return m
}

const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : ''

/**
 * One line of the activity log, built as text from the action's structured
 * data: nothing in it is HTML (the original's log was an XSS hole, §8.1 S2).
 */
export function ActionLine({ action: a }: { action: Action }) {
  const { t } = useTranslation()
  const labels = useLabels()
  const data = a.data ?? {}
  const vars = {
    user: a.user?.name ?? '?',
    recipient: a.recipient?.name ?? '?',
    status: labels.status(Number(data.status_id) || undefined, str(data.status)),
    priority: labels.priority(Number(data.priority_id) || undefined, str(data.priority)),
    category: str(data.department_category) || `${str(data.department)} / ${str(data.category)}`,
  }
  const known = [
    'assign',
    'claim',
    'release',
    'close',
    'reopen',
    'status',
    'priority',
    'department_category',
    'subscribe',
    'unsubscribe',
    'open',
  ]
  const kind = a.action
  const text = known.includes(kind)
    ? t(`actions.${kind}`, vars)
    : t('actions.other', { ...vars, action: kind })
  return (
    <Group gap="xs" px="md" py={4} wrap="nowrap" data-testid="action-line">
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(a.date)}
      </Text>
      <Text size="xs" c="dimmed">
        {text}
      </Text>
    </Group>
  )
}

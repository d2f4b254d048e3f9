import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { Anchor } from '@mantine/core'
import { errorMessage } from '../../api/errors'
import type { TicketDetail } from '../../api/types'
import { ConfirmButton } from '../../components/ConfirmButton'
import { priorityColor, statusColor, useLabels } from '../../components/labels'
import { useSingleFlight } from '../../components/useSingleFlight'
import { formatDateTime, formatNumber, ticketNumber } from '../../i18n/format'
import { closeTicket, deleteTicket, setTicketStatus } from './api'
import { EditTicketButton } from './EditTicket'
import { TriageFields } from './TriageFields'
import { STATUS_CLOSED, STATUS_OPEN } from './triage'
import { useInvalidateTicket } from './useTicket'

function Detail({
  label,
  children,
  testId,
}: {
  label: string
  children: React.ReactNode
  testId?: string
}) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {children}
      </Text>
    </div>
  )
}

const userLink = (u: { id?: number; name?: string } | null | undefined) =>
  u?.id ? (
    <Anchor component={Link} to={`/users/${u.id}`} size="sm">
      {u.name}
    </Anchor>
  ) : null

/**
 * Number, title, details and the workflow buttons of a ticket: exactly the
 * actions its can (from the server) allows.
 */
export function TicketHeader({ ticket: tk }: { ticket: TicketDetail }) {
  const { t } = useTranslation()
  const labels = useLabels()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const invalidate = useInvalidateTicket(tk.id)
  const id = tk.id
  const can = tk.can

  const act = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => invalidate(),
    onError: (e) => notifications.show({ color: 'red', message: errorMessage(e, t) }),
  })
  // One workflow action at a time: a double click acts once.
  const flight = useSingleFlight()
  const run = (fn: () => Promise<unknown>, done: string) =>
    void flight.run(() =>
      act
        .mutateAsync(fn)
        .then(() => notifications.show({ color: 'green', message: done }))
        .catch(() => undefined),
    )

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title
            order={1}
            size="h2"
            data-testid="ticket-heading"
            style={{ overflowWrap: 'anywhere' }}
          >
            {`#${ticketNumber(tk.id)} ${tk.title}`}
          </Title>
          <Group gap={4}>
            <Badge
              color={priorityColor(tk.ticket_priority_id)}
              variant="dot"
              data-testid="ticket-priority-badge"
            >
              {labels.priority(tk.ticket_priority_id, tk.priority)}
            </Badge>
            <Badge color={statusColor(tk.status_id)} data-testid="ticket-status">
              {labels.status(tk.status_id, tk.status)}
            </Badge>
          </Group>
        </Group>
        <TriageFields ticket={tk} />
        <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
          <Detail label={t('tickets.createdBy')}>{userLink(tk.started_by)}</Detail>
          <Detail label={t('tickets.totalHours')} testId="ticket-total-hours">
            {formatNumber(tk.total_hours)}
          </Detail>
          <Detail label={t('tickets.created')}>{formatDateTime(tk.date_added)}</Detail>
          <Detail label={t('tickets.lastUpdated')}>{formatDateTime(tk.last_updated)}</Detail>
          <Detail label={t('tickets.repliesLabel')}>{formatNumber(tk.num_replies)}</Detail>
        </SimpleGrid>
        <Group gap="xs" wrap="wrap" data-testid="ticket-actions">
          {can.close ? (
            <Button
              size="xs"
              variant="light"
              color="gray"
              data-testid="action-close"
              data-shortcut="close"
              loading={act.isPending}
              onClick={() => run(() => closeTicket(id), t('tickets.closedMsg'))}
            >
              {t('tickets.close')}
            </Button>
          ) : null}
          {tk.status_id === STATUS_CLOSED && can.change_status_to.includes(STATUS_OPEN) ? (
            <Button
              size="xs"
              variant="light"
              data-testid="action-reopen"
              loading={act.isPending}
              onClick={() => run(() => setTicketStatus(id, STATUS_OPEN), t('tickets.reopenedMsg'))}
            >
              {t('tickets.reopen')}
            </Button>
          ) : null}
          {can.edit ? <EditTicketButton ticket={tk} /> : null}
          {can.delete ? (
            <ConfirmButton
              size="xs"
              variant="light"
              color="red"
              testId="action-delete"
              title={t('tickets.deleteTitle')}
              message={t('tickets.deleteConfirm', { number: ticketNumber(tk.id) })}
              confirmLabel={t('common.delete')}
              onConfirm={async () => {
                await deleteTicket(id)
                await qc.invalidateQueries({ queryKey: ['tickets'] })
                notifications.show({ color: 'green', message: t('tickets.deleted') })
                void navigate('/tickets')
              }}
            >
              {t('common.delete')}
            </ConfirmButton>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  )
}

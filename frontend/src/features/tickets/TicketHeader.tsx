import { useState } from 'react'
import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { Anchor } from '@mantine/core'
import { errorMessage } from '../../api/errors'
import { options, useCategories, useDepartments } from '../../api/lookups'
import type { Ticket, TicketDetail } from '../../api/types'
import { ConfirmButton } from '../../components/ConfirmButton'
import { ErrorBanner } from '../../components/ErrorBanner'
import { priorityColor, statusColor, useLabels } from '../../components/labels'
import { UserPicker, type PickedUser } from '../../components/UserPicker'
import { useSingleFlight } from '../../components/useSingleFlight'
import { formatDateTime, formatNumber, ticketNumber } from '../../i18n/format'
import {
  assignTicket,
  changeCategory,
  claimTicket,
  closeTicket,
  deleteTicket,
  releaseTicket,
  setTicketStatus,
} from './api'
import { EditTicketButton } from './EditTicket'
import { useInvalidateTicket } from './useTicket'

// The seeded statuses' fixed ids (see labels.ts).
const STATUS_OPEN = 1
const STATUS_CLOSED = 2

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
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="sm">
          <Detail label={t('tickets.department')}>{tk.department}</Detail>
          <Detail label={t('tickets.category')} testId="ticket-category">
            {tk.category}
          </Detail>
          <Detail label={t('tickets.createdBy')}>{userLink(tk.started_by)}</Detail>
          <Detail label={t('tickets.assignedTo')} testId="ticket-assignee">
            {tk.assigned_to ? userLink(tk.assigned_to) : t('tickets.unassigned')}
          </Detail>
          <Detail label={t('tickets.totalHours')} testId="ticket-total-hours">
            {formatNumber(tk.total_hours)}
          </Detail>
          <Detail label={t('tickets.created')}>{formatDateTime(tk.date_added)}</Detail>
          <Detail label={t('tickets.lastUpdated')}>{formatDateTime(tk.last_updated)}</Detail>
          <Detail label={t('tickets.repliesLabel')}>{formatNumber(tk.num_replies)}</Detail>
        </SimpleGrid>
        <Group gap="xs" wrap="wrap" data-testid="ticket-actions">
          {can.claim ? (
            <Button
              size="xs"
              variant="light"
              data-testid="action-claim"
              loading={act.isPending}
              onClick={() => run(() => claimTicket(id), t('tickets.claimed'))}
            >
              {t('tickets.claim')}
            </Button>
          ) : null}
          {can.release ? (
            <Button
              size="xs"
              variant="light"
              data-testid="action-release"
              loading={act.isPending}
              onClick={() => run(() => releaseTicket(id), t('tickets.released'))}
            >
              {t('tickets.release')}
            </Button>
          ) : null}
          {can.assign ? <AssignButton ticketId={id} onDone={invalidate} /> : null}
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
          {can.change_category ? <CategoryButton ticket={tk} onDone={invalidate} /> : null}
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

function AssignButton({ ticketId, onDone }: { ticketId: number; onDone: () => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [picked, setPicked] = useState<PickedUser | null>(null)
  const flight = useSingleFlight()
  const m = useMutation({
    mutationFn: (u: PickedUser) => assignTicket(ticketId, u.id),
    onSuccess: (_d, u) => {
      onDone()
      setOpen(false)
      notifications.show({ color: 'green', message: t('tickets.assignedMsg', { name: u.name }) })
    },
  })
  return (
    <>
      <Button size="xs" variant="light" data-testid="action-assign" onClick={() => setOpen(true)}>
        {t('tickets.assign')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('tickets.assignTitle')}
        centered
      >
        <Stack>
          <UserPicker label={t('tickets.assignTo')} onPick={setPicked} testId="assign-user" />
          <ErrorBanner error={m.error} />
          <Group justify="flex-end">
            <Button
              disabled={!picked}
              loading={m.isPending}
              data-testid="assign-submit"
              onClick={() => {
                if (picked) void flight.run(() => m.mutateAsync(picked).catch(() => undefined))
              }}
            >
              {t('tickets.assign')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}

function CategoryButton({ ticket: tk, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [dep, setDep] = useState<string | null>(tk.department_id ? String(tk.department_id) : null)
  const [cat, setCat] = useState<string | null>(null)
  const departments = useDepartments()
  const categories = useCategories(dep ? Number(dep) : null, open && dep !== null)
  const flight = useSingleFlight()
  const m = useMutation({
    mutationFn: (categoryId: number) => changeCategory(tk.id, categoryId),
    onSuccess: () => {
      onDone()
      setOpen(false)
      notifications.show({ color: 'green', message: t('tickets.categoryChanged') })
    },
  })
  return (
    <>
      <Button size="xs" variant="light" data-testid="action-category" onClick={() => setOpen(true)}>
        {t('tickets.changeCategory')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('tickets.changeCategory')}
        centered
      >
        <Stack>
          <Select
            label={t('tickets.department')}
            data-testid="category-department"
            value={dep}
            allowDeselect={false}
            onChange={(v) => {
              if (v === dep) return
              setDep(v)
              setCat(null)
            }}
            data={options(departments.data, (d) => d.department)}
          />
          <Select
            label={t('tickets.category')}
            data-testid="category-category"
            value={cat}
            allowDeselect={false}
            onChange={setCat}
            disabled={!dep}
            data={options(categories.data, (c) => c.category)}
          />
          <ErrorBanner error={m.error} />
          <Group justify="flex-end">
            <Button
              disabled={!cat}
              loading={m.isPending}
              data-testid="category-submit"
              onClick={() => {
                if (cat) void flight.run(() => m.mutateAsync(Number(cat)).catch(() => undefined))
              }}
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}

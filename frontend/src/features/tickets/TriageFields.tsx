import { useEffect, useRef, useState } from 'react'
import { Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/errors'
import { useDepartmentCategories, usePriorities, useStatuses } from '../../api/lookups'
import type { TicketDetail } from '../../api/types'
import { useUser } from '../../app/session'
import { useLabels } from '../../components/labels'
import { UserPicker } from '../../components/UserPicker'
import { useSingleFlight } from '../../components/useSingleFlight'
import { ticketKeys } from './api'
import {
  assigneeOp,
  runOp,
  runOps,
  UNDO_MS,
  undoOps,
  type TriageField,
  type TriageOp,
} from './triage'
import { useInvalidateTicket } from './useTicket'

const userLabel = (u: { name?: string; username?: string }) => `${u.name} (${u.username})`

/** The toast's text and its Undo button. */
function UndoMessage({ text, onUndo }: { text: string; onUndo?: () => void }) {
  const { t } = useTranslation()
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text size="sm" data-testid="triage-toast">
        {text}
      </Text>
      {onUndo ? (
        <Button size="compact-sm" variant="light" data-testid="triage-undo" onClick={onUndo}>
          {t('triage.undo')}
        </Button>
      ) : null}
    </Group>
  )
}

/**
 * Status, priority, assignee and category of a ticket as fields that save at
 * once, each through its workflow endpoint, with a toast that can undo the
 * change for UNDO_MS. Every field follows the ticket's can: one that may not
 * be changed is shown, read-only. Assigning sets the status to In Work (the
 * original's rule): the status field shows it and says why, and so does the
 * toast.
 */
export function TriageFields({ ticket: tk }: { ticket: TicketDetail }) {
  const { t } = useTranslation()
  const labels = useLabels()
  const me = useUser()
  const qc = useQueryClient()
  const invalidate = useInvalidateTicket(tk.id)
  const can = tk.can
  const statuses = useStatuses()
  const priorities = usePriorities()
  const categories = useDepartmentCategories(can.change_category)
  const flight = useSingleFlight()
  // "Set to In Work by the assignment", while its toast is up.
  const [statusNote, setStatusNote] = useState<string | null>(null)
  const noteTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => () => clearTimeout(noteTimer.current), [])

  const apply = (next: TicketDetail) => {
    qc.setQueryData(ticketKeys.one(tk.id), next)
    invalidate()
  }
  const statusName = (x: TicketDetail) => labels.status(x.status_id, x.status)
  const noteStatus = (text: string | null) => {
    clearTimeout(noteTimer.current)
    setStatusNote(text)
    if (text) noteTimer.current = setTimeout(() => setStatusNote(null), UNDO_MS)
  }

  const describe = (field: TriageField, before: TicketDetail, after: TicketDetail) => {
    switch (field) {
      case 'status':
        return t('triage.statusSet', { status: statusName(after) })
      case 'priority':
        return t('triage.prioritySet', {
          priority: labels.priority(after.ticket_priority_id, after.priority),
        })
      case 'category':
        return t('triage.categorySet', { category: `${after.department} / ${after.category}` })
      case 'assignee': {
        const who = after.assigned_to
          ? t('triage.assigned', { name: after.assigned_to.name })
          : t('triage.unassigned')
        if (before.status_id === after.status_id) return who
        return `${who} ${t('triage.statusFollows', { status: statusName(after) })}`
      }
    }
  }

  const undo = (toast: string, ops: TriageOp[]) => {
    notifications.hide(toast)
    noteStatus(null)
    void flight.run(async () => {
      try {
        const after = await runOps(tk.id, ops)
        if (after) apply(after)
        notifications.show({ color: 'green', message: t('triage.undone') })
      } catch (e) {
        invalidate()
        notifications.show({ color: 'red', message: errorMessage(e, t) })
      }
    })
  }

  const change = (field: TriageField, op: TriageOp | null) => {
    if (!op) return
    const before = tk
    void flight.run(async () => {
      try {
        const after = await runOp(tk.id, op)
        apply(after)
        const text = describe(field, before, after)
        noteStatus(
          field === 'assignee' && before.status_id !== after.status_id
            ? t('triage.statusByAssign', { status: statusName(after) })
            : null,
        )
        const ops = undoOps(before, after, field, me.id)
        const id = `triage-${tk.id}-${Date.now()}`
        notifications.show({
          id,
          color: 'green',
          autoClose: UNDO_MS,
          message: <UndoMessage text={text} onUndo={ops ? () => undo(id, ops) : undefined} />,
        })
      } catch (e) {
        notifications.show({ color: 'red', message: errorMessage(e, t) })
      }
    })
  }

  // The current value is always among the options, so that no field is
  // blank (a closed ticket shows Closed; it is reopened by another status).
  const statusData = (statuses.data ?? [])
    .filter((s) => s.id === tk.status_id || can.change_status_to.includes(s.id))
    .map((s) => ({
      value: String(s.id),
      label: labels.status(s.id, s.status),
      disabled: !can.change_status_to.includes(s.id),
    }))
  if (!statusData.some((o) => o.value === String(tk.status_id))) {
    statusData.unshift({ value: String(tk.status_id), label: statusName(tk), disabled: true })
  }
  const priorityData = (priorities.data ?? []).map((p) => ({
    value: String(p.id),
    label: labels.priority(p.id, p.priority),
  }))
  if (!priorityData.some((o) => o.value === String(tk.ticket_priority_id))) {
    priorityData.unshift({
      value: String(tk.ticket_priority_id),
      label: labels.priority(tk.ticket_priority_id, tk.priority),
    })
  }
  const categoryData = groupByDepartment(can.change_category ? (categories.data ?? []) : [], tk)
  const canStatus = can.change_status && can.change_status_to.length > 0
  const assignable = can.assign || can.claim || can.release

  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" data-testid="triage-fields">
      <Select
        label={t('tickets.status')}
        data-testid="triage-status"
        data={statusData}
        value={String(tk.status_id)}
        allowDeselect={false}
        disabled={!canStatus}
        readOnly={flight.busy}
        description={statusNote}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        onChange={(v) => {
          if (v && Number(v) !== tk.status_id) change('status', { kind: 'status', id: Number(v) })
        }}
      />
      <Select
        label={t('tickets.priority')}
        data-testid="triage-priority"
        data={priorityData}
        value={String(tk.ticket_priority_id)}
        allowDeselect={false}
        disabled={!can.change_priority}
        readOnly={flight.busy}
        onChange={(v) => {
          if (v && Number(v) !== tk.ticket_priority_id) {
            change('priority', { kind: 'priority', id: Number(v) })
          }
        }}
      />
      <Stack gap={4}>
        <UserPicker
          // A new assignee starts the box again, showing them.
          key={tk.assigned_to?.id ?? 0}
          label={t('tickets.assignedTo')}
          testId="triage-assignee"
          placeholder={t('tickets.unassigned')}
          initialText={tk.assigned_to ? userLabel(tk.assigned_to) : ''}
          suggest
          forTicket={tk.id}
          clearable={can.release}
          clearLabel={t('triage.unassign')}
          disabled={!assignable}
          onPick={(u) => {
            const current = tk.assigned_to?.id ?? null
            const next = u?.id ?? null
            if (next !== current) change('assignee', assigneeOp(tk, next, me.id))
          }}
        />
        {can.claim ? (
          <Button
            size="compact-xs"
            variant="subtle"
            style={{ alignSelf: 'flex-start' }}
            data-testid="triage-assign-me"
            data-shortcut="assign-me"
            aria-keyshortcuts="a"
            disabled={flight.busy}
            onClick={() => change('assignee', { kind: 'claim' })}
          >
            {t('triage.assignMe')}
          </Button>
        ) : null}
      </Stack>
      <Select
        label={t('tickets.category')}
        data-testid="triage-category"
        data={categoryData}
        value={String(tk.category_id)}
        allowDeselect={false}
        searchable={can.change_category}
        disabled={!can.change_category}
        readOnly={flight.busy}
        onChange={(v) => {
          if (v && Number(v) !== tk.category_id) {
            change('category', { kind: 'category', id: Number(v) })
          }
        }}
      />
    </SimpleGrid>
  )
}

interface DepartmentCategory {
  department: string
  department_id: number
  category: string
  category_id: number
}

/** The categories, grouped under their departments, the ticket's always among them. */
export function groupByDepartment(items: DepartmentCategory[], tk: TicketDetail) {
  const groups = new Map<string, { value: string; label: string }[]>()
  const add = (department: string, id: number, label: string) => {
    const g = groups.get(department) ?? []
    if (!g.some((o) => o.value === String(id))) g.push({ value: String(id), label })
    groups.set(department, g)
  }
  for (const c of items) add(c.department, c.category_id, c.category)
  add(tk.department, tk.category_id, tk.category)
  return Array.from(groups, ([group, items]) => ({ group, items }))
}

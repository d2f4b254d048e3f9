/**
 * The bar that appears when rows are selected: set the status or the
 * priority of, assign or close every selected ticket in one request
 * (POST /tickets/bulk). One change at a time; each ticket's outcome comes
 * back to its row.
 */
import { useState } from 'react'
import { Button, Group, Paper, Select, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { options, usePriorities, useStatuses } from '../../api/lookups'
import { newIdempotencyKey } from '../../api/idempotency'
import type { Schema, Ticket } from '../../api/types'
import { errorMessage } from '../../api/errors'
import { useLabels } from '../../components/labels'
import { UserPicker } from '../../components/UserPicker'
import { useSingleFlight } from '../../components/useSingleFlight'
import { bulkTickets } from './api'

export type BulkResult = Schema<'TicketBulkResult'>

/** What a change did to a ticket it succeeded on, to show it in the row at once. */
export type BulkPatch = (tk: Ticket) => Ticket

export function BulkBar({
  ids,
  onDone,
  onClear,
}: {
  ids: readonly number[]
  onDone: (results: BulkResult[], patch: BulkPatch) => void
  onClear: () => void
}) {
  const { t } = useTranslation()
  const labels = useLabels()
  const statuses = useStatuses()
  const priorities = usePriorities()
  const { run, busy } = useSingleFlight()
  // Cleared after each change, so a picked value can be picked again.
  const [round, setRound] = useState(0)

  const apply = (action: Schema<'TicketBulk'>['action'], patch: BulkPatch, value?: number) =>
    run(async () => {
      try {
        const body: Schema<'TicketBulk'> = { ids: [...ids], action }
        if (value !== undefined) body.value = value
        const res = await bulkTickets(body, newIdempotencyKey())
        const ok = res.results.filter((r) => r.ok).length
        notifications.show({
          color: ok === res.results.length ? 'green' : 'yellow',
          message: t('tickets.bulk.summary', {
            ok,
            failed: res.results.length - ok,
          }),
        })
        const at = new Date().toUTCString()
        onDone(res.results, (tk) => ({ ...patch(tk), last_updated: at }))
      } catch (e) {
        notifications.show({ color: 'red', message: errorMessage(e, t) })
      } finally {
        setRound((r) => r + 1)
      }
    })

  return (
    <Paper
      withBorder
      shadow="sm"
      p="xs"
      data-testid="bulk-bar"
      aria-label={t('tickets.bulk.label')}
      component="section"
      style={{ position: 'sticky', bottom: 0, zIndex: 3 }}
    >
      <Group gap="xs" wrap="wrap" align="center">
        <Text size="sm" fw={600} data-testid="bulk-count">
          {t('tickets.bulk.selected', { count: ids.length })}
        </Text>
        <Select
          key={`s${round}`}
          size="xs"
          w={190}
          aria-label={t('tickets.bulk.status')}
          placeholder={t('tickets.bulk.status')}
          data-testid="bulk-status"
          disabled={busy}
          data={options(
            statuses.data?.filter((s) => s.id !== 2),
            (s) => labels.status(s.id, s.status),
          )}
          onChange={(v) => {
            const st = statuses.data?.find((s) => String(s.id) === v)
            if (st)
              void apply('status', (tk) => ({ ...tk, status_id: st.id, status: st.status }), st.id)
          }}
        />
        <Select
          key={`p${round}`}
          size="xs"
          w={150}
          aria-label={t('tickets.bulk.priority')}
          placeholder={t('tickets.bulk.priority')}
          data-testid="bulk-priority"
          disabled={busy}
          data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
          onChange={(v) => {
            const p = priorities.data?.find((x) => String(x.id) === v)
            if (p)
              void apply(
                'priority',
                (tk) => ({ ...tk, ticket_priority_id: p.id, priority: p.priority }),
                p.id,
              )
          }}
        />
        <div style={{ width: 200 }}>
          <UserPicker
            key={`a${round}`}
            label=""
            ariaLabel={t('tickets.bulk.assign')}
            placeholder={t('tickets.bulk.assign')}
            testId="bulk-assign"
            onPick={(u) => {
              // Assigning puts the ticket In Work (the original's rule).
              if (u)
                void apply(
                  'assign',
                  (tk) => ({
                    ...tk,
                    assigned_id: u.id,
                    assigned_to: u,
                    status_id: 3,
                    status: 'In Work',
                  }),
                  u.id,
                )
            }}
          />
        </div>
        <Button
          size="xs"
          color="red"
          variant="outline"
          data-testid="bulk-close"
          loading={busy}
          onClick={() =>
            void apply('close', (tk) => ({
              ...tk,
              status_id: 2,
              status: 'Closed',
              assigned_id: null,
              assigned_to: null,
            }))
          }
        >
          {t('tickets.bulk.close')}
        </Button>
        <Button size="xs" variant="subtle" data-testid="bulk-clear" onClick={onClear}>
          {t('tickets.bulk.clear')}
        </Button>
      </Group>
    </Paper>
  )
}

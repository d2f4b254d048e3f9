import { useState } from 'react'
import { Anchor, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Ticket } from '../../api/types'
import { MarkdownView } from '../../components/MarkdownView'
import { formatDateTime, formatNumber } from '../../i18n/format'
import { listTicketHistory, ticketKeys } from './api'
import { TicketAttachments } from './Attachments'
import type { TicketPermissions } from './permissions'

/** The opening message: author, date, rendered body, edits, hours, attachments. */
export function TicketBody({
  ticket: tk,
  perms,
  onQuote,
}: {
  ticket: Ticket
  perms: TicketPermissions
  onQuote: () => void
}) {
  const { t } = useTranslation()
  return (
    <Paper withBorder p="md" data-testid="ticket-body">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Text size="sm">
            {tk.started_by?.id ? (
              <Anchor component={Link} to={`/users/${tk.started_by.id}`} fw={600}>
                {tk.started_by.name}
              </Anchor>
            ) : null}{' '}
            <Text span c="dimmed" size="sm">
              {formatDateTime(tk.date_added)}
            </Text>
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={onQuote} data-testid="quote-ticket">
            {t('posts.quote')}
          </Button>
        </Group>
        <MarkdownView html={tk.content_html} testId="ticket-content-html" />
        {tk.date_modified ? (
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t('posts.modifiedBy', {
                name: tk.modified_by?.name ?? '?',
                date: formatDateTime(tk.date_modified),
              })}
            </Text>
            <TicketHistory ticketId={tk.id} />
          </Group>
        ) : null}
        {tk.hours ? (
          <Text size="xs" c="dimmed">
            {t('tickets.hours', { hours: formatNumber(tk.hours) })}
          </Text>
        ) : null}
        <TicketAttachments ticketId={tk.id} canEdit={perms.edit} />
      </Stack>
    </Paper>
  )
}

function TicketHistory({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const h = useQuery({
    queryKey: ticketKeys.history(ticketId),
    queryFn: () => listTicketHistory(ticketId),
    enabled: open,
  })
  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen(true)}
        data-testid="ticket-history"
      >
        {t('posts.history')}
      </Anchor>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('posts.historyTitle')} size="lg">
        <Stack>
          {h.data?.length === 0 ? <Text c="dimmed">{t('posts.noHistory')}</Text> : null}
          {(h.data ?? []).map((v) => (
            <Paper key={v.id} withBorder p="sm">
              <Text size="xs" c="dimmed" mb={4}>
                {t('posts.originallyWrote', {
                  name: v.user?.name ?? '?',
                  date: formatDateTime(v.date_modified),
                })}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {v.original_content}
              </Text>
            </Paper>
          ))}
        </Stack>
      </Modal>
    </>
  )
}

import { useState } from 'react'
import { Button, Group, Modal, Stack } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import type { Ticket } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { HoursInput } from '../../components/HoursInput'
import { useApiSubmit } from '../../components/useApiSubmit'
import { updateTicket } from './api'
import { TicketFields, ticketFieldNames, ticketRequest, useTicketForm } from './TicketFields'
import { useInvalidateTicket } from './useTicket'

/** Edit the ticket body: title, content, priority, category, hours. */
export function EditTicketButton({ ticket: tk }: { ticket: Ticket }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button size="xs" variant="light" data-testid="action-edit" onClick={() => setOpen(true)}>
        {t('common.edit')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('tickets.editTitle')}
        size="xl"
      >
        {open ? <EditTicketForm ticket={tk} onDone={() => setOpen(false)} /> : null}
      </Modal>
    </>
  )
}

function EditTicketForm({ ticket: tk, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation()
  const invalidate = useInvalidateTicket(tk.id)
  const form = useTicketForm({
    title: tk.title,
    content: tk.content,
    department_id: String(tk.department_id),
    category_id: String(tk.category_id),
    ticket_priority_id: String(tk.ticket_priority_id),
    hours: tk.hours,
  })
  const { submit, error } = useApiSubmit(form, ticketFieldNames, async (v) => {
    await updateTicket(tk.id, ticketRequest(v))
    invalidate()
    notifications.show({ color: 'green', message: t('tickets.edited') })
    onDone()
  })
  return (
    <form onSubmit={submit} noValidate data-testid="edit-ticket-form">
      <Stack>
        <ErrorBanner error={error} />
        <TicketFields form={form} isNew={false} />
        <HoursInput {...form.getInputProps('hours')} />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="edit-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

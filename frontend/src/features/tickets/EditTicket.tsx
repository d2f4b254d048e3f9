import { useState } from 'react'
import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { fieldErrors } from '../../api/errors'
import { options, useCategories, useDepartments, usePriorities } from '../../api/lookups'
import type { Ticket } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useLabels } from '../../components/labels'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { ticketRules } from '../../components/rules'
import { updateTicket } from './api'
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
      <Modal opened={open} onClose={() => setOpen(false)} title={t('tickets.editTitle')} size="xl">
        {open ? <EditTicketForm ticket={tk} onDone={() => setOpen(false)} /> : null}
      </Modal>
    </>
  )
}

function EditTicketForm({ ticket: tk, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t } = useTranslation()
  const labels = useLabels()
  const invalidate = useInvalidateTicket(tk.id)
  const [error, setError] = useState<unknown>(null)
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      title: tk.title,
      content: tk.content,
      department_id: String(tk.department_id),
      category_id: String(tk.category_id),
      ticket_priority_id: String(tk.ticket_priority_id),
      hours: tk.hours as number | string,
    },
    validate: ticketRules(t),
  })
  const depId = form.values.department_id ? Number(form.values.department_id) : null
  const departments = useDepartments()
  const categories = useCategories(depId, depId !== null)
  const priorities = usePriorities()
  const submit = form.onSubmit(async (v) => {
    setError(null)
    try {
      await updateTicket(tk.id, {
        title: v.title.trim(),
        content: v.content,
        category_id: Number(v.category_id),
        ticket_priority_id: Number(v.ticket_priority_id),
        hours: Number(v.hours) || 0,
      })
      invalidate()
      notifications.show({ color: 'green', message: t('tickets.edited') })
      onDone()
    } catch (e) {
      const { fields, rest } = fieldErrors(e, t, [
        'title',
        'content',
        'category_id',
        'ticket_priority_id',
        'hours',
      ])
      form.setErrors(fields)
      if (rest) setError(e)
    }
  })
  return (
    <form onSubmit={submit} noValidate data-testid="edit-ticket-form">
      <Stack>
        <ErrorBanner error={error} />
        <TextInput
          label={t('tickets.ticketTitle')}
          required
          data-testid="edit-title"
          {...form.getInputProps('title')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('tickets.department')}
            data={options(departments.data, (d) => d.department)}
            allowDeselect={false}
            {...form.getInputProps('department_id')}
            onChange={(v: string | null) => {
              // Picking the same department again keeps its category.
              if ((v ?? '') === form.values.department_id) return
              form.setFieldValue('department_id', v ?? '')
              form.setFieldValue('category_id', '')
            }}
          />
          <Select
            label={t('tickets.category')}
            allowDeselect={false}
            data={options(categories.data, (c) => c.category)}
            {...form.getInputProps('category_id')}
          />
          <Select
            label={t('tickets.priority')}
            allowDeselect={false}
            data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
            {...form.getInputProps('ticket_priority_id')}
          />
        </SimpleGrid>
        <MarkdownEditor
          label={t('tickets.content')}
          required
          testId="edit-content"
          value={form.values.content}
          onChange={(v) => form.setFieldValue('content', v)}
          error={form.errors.content}
        />
        <NumberInput
          label={t('tickets.hoursLabel')}
          min={0}
          step={0.25}
          decimalScale={2}
          {...form.getInputProps('hours')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="edit-submit">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

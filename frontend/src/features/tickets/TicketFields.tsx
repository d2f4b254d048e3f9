import { Select, SimpleGrid, TextInput } from '@mantine/core'
import { useForm, type UseFormReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { options, useCategories, useDepartments, usePriorities } from '../../api/lookups'
import { useLabels } from '../../components/labels'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { ticketRules } from '../../components/rules'

/** What the new-ticket and edit-ticket forms hold (select values are strings). */
export interface TicketValues {
  title: string
  content: string
  department_id: string
  category_id: string
  ticket_priority_id: string
  hours: number | string
}

export type TicketForm = UseFormReturnType<TicketValues>

/** A ticket form with the rules of features §3 (title 3–128, content 5–5000, ...). */
export function useTicketForm(initialValues: TicketValues): TicketForm {
  const { t } = useTranslation()
  return useForm<TicketValues>({ mode: 'controlled', initialValues, validate: ticketRules(t) })
}

/** The body POST /tickets and PATCH /ticket/{id} both take. */
export function ticketRequest(v: TicketValues) {
  return {
    title: v.title.trim(),
    content: v.content,
    category_id: Number(v.category_id),
    ticket_priority_id: Number(v.ticket_priority_id),
    hours: Number(v.hours) || 0,
  }
}

/** The request's fields the ticket forms show errors for. */
export const ticketFieldNames = ['title', 'content', 'category_id', 'ticket_priority_id', 'hours']

/**
 * Title, department, category, priority and content. A new ticket's fields
 * are marked required and named ticket-*; an edit's are named edit-*.
 */
export function TicketFields({ form, isNew }: { form: TicketForm; isNew: boolean }) {
  const { t } = useTranslation()
  const labels = useLabels()
  const departmentId = form.values.department_id ? Number(form.values.department_id) : null
  const departments = useDepartments()
  const categories = useCategories(departmentId, departmentId !== null)
  const priorities = usePriorities()
  const id = (name: string) => (isNew ? `ticket-${name}` : undefined)
  return (
    <>
      <TextInput
        label={t('tickets.ticketTitle')}
        required
        maxLength={isNew ? 128 : undefined}
        data-testid={isNew ? 'ticket-title' : 'edit-title'}
        {...form.getInputProps('title')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('tickets.department')}
          required={isNew}
          data-testid={id('department')}
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
          required={isNew}
          disabled={departmentId === null}
          data-testid={id('category')}
          allowDeselect={false}
          data={options(categories.data, (c) => c.category)}
          {...form.getInputProps('category_id')}
        />
        <Select
          label={t('tickets.priority')}
          required={isNew}
          allowDeselect={false}
          data-testid={id('priority')}
          data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
          {...form.getInputProps('ticket_priority_id')}
        />
      </SimpleGrid>
      <MarkdownEditor
        label={t('tickets.content')}
        required
        testId={isNew ? 'ticket-content' : 'edit-content'}
        path="content"
        canned={isNew}
        value={form.values.content}
        onChange={(v) => form.setFieldValue('content', v)}
        error={form.errors.content}
      />
    </>
  )
}

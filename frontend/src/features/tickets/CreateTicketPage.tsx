import { useState } from 'react'
import {
  Button,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { errorMessage, fieldErrors } from '../../api/errors'
import { options, useCategories, useDepartments, usePriorities } from '../../api/lookups'
import { uploadFiles } from '../../api/uploads'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useLabels } from '../../components/labels'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { createTicket, ticketKeys } from './api'
import { loadLastCategory, saveLastCategory } from './lastCategory'
import { ticketRules } from '../../components/rules'

export function CreateTicketPage() {
  const { t } = useTranslation()
  const labels = useLabels()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const last = loadLastCategory()
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      title: '',
      content: '',
      department_id: last ? String(last.department_id) : '',
      category_id: last ? String(last.category_id) : '',
      ticket_priority_id: '1',
      hours: 0 as number | string,
      files: [] as File[],
    },
    validate: ticketRules(t),
  })
  const departmentId = form.values.department_id ? Number(form.values.department_id) : null
  const departments = useDepartments()
  const categories = useCategories(departmentId, departmentId !== null)
  const priorities = usePriorities()

  const submit = form.onSubmit(async (v) => {
    setError(null)
    try {
      const tk = await createTicket({
        title: v.title.trim(),
        content: v.content,
        category_id: Number(v.category_id),
        ticket_priority_id: Number(v.ticket_priority_id),
        hours: Number(v.hours) || 0,
      })
      saveLastCategory({
        department_id: Number(v.department_id),
        category_id: Number(v.category_id),
      })
      if (v.files.length > 0 && tk.id) {
        try {
          await uploadFiles({ ticket_id: tk.id }, v.files)
        } catch (e) {
          notifications.show({
            color: 'yellow',
            title: t('attachments.failed'),
            message: errorMessage(e, t),
          })
        }
      }
      await qc.invalidateQueries({ queryKey: ticketKeys.all })
      notifications.show({ color: 'green', message: t('tickets.createdMsg') })
      void navigate(`/tickets/${tk.id}`)
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
    <Stack>
      <Title order={1} size="h2">
        {t('tickets.createTitle')}
      </Title>
      <Paper
        withBorder
        p="md"
        component="form"
        onSubmit={submit}
        noValidate
        data-testid="create-ticket-form"
      >
        <Stack>
          <ErrorBanner error={error} />
          <TextInput
            label={t('tickets.ticketTitle')}
            required
            maxLength={128}
            data-testid="ticket-title"
            {...form.getInputProps('title')}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('tickets.department')}
              required
              data-testid="ticket-department"
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
              required
              disabled={departmentId === null}
              data-testid="ticket-category"
              allowDeselect={false}
              data={options(categories.data, (c) => c.category)}
              {...form.getInputProps('category_id')}
            />
            <Select
              label={t('tickets.priority')}
              required
              allowDeselect={false}
              data-testid="ticket-priority"
              data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
              {...form.getInputProps('ticket_priority_id')}
            />
          </SimpleGrid>
          <MarkdownEditor
            label={t('tickets.content')}
            required
            testId="ticket-content"
            value={form.values.content}
            onChange={(v) => form.setFieldValue('content', v)}
            error={form.errors.content}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t('tickets.hoursLabel')}
              min={0}
              step={0.25}
              decimalScale={2}
              data-testid="ticket-hours"
              {...form.getInputProps('hours')}
            />
            <FileInput
              label={t('attachments.add')}
              multiple
              clearable
              data-testid="ticket-files"
              value={form.values.files}
              onChange={(f) => form.setFieldValue('files', f)}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting} data-testid="ticket-submit">
              {t('tickets.submit')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  )
}

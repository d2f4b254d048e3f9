import { useState } from 'react'
import { Button, FileInput, Group, SimpleGrid, Stack, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api/errors'
import { uploadFiles } from '../../api/uploads'
import { FormCard } from '../../components/FormCard'
import { HoursInput } from '../../components/HoursInput'
import { useApiSubmit } from '../../components/useApiSubmit'
import { createTicket, ticketKeys } from './api'
import { loadLastCategory, saveLastCategory } from './lastCategory'
import { TicketFields, ticketFieldNames, ticketRequest, useTicketForm } from './TicketFields'

export function CreateTicketPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [files, setFiles] = useState<File[]>([])
  const last = loadLastCategory()
  const form = useTicketForm({
    title: '',
    content: '',
    department_id: last ? String(last.department_id) : '',
    category_id: last ? String(last.category_id) : '',
    ticket_priority_id: '1',
    hours: 0,
  })

  const { submit, error } = useApiSubmit(form, ticketFieldNames, async (v) => {
    const tk = await createTicket(ticketRequest(v))
    saveLastCategory({
      department_id: Number(v.department_id),
      category_id: Number(v.category_id),
    })
    if (files.length > 0 && tk.id) {
      try {
        await uploadFiles({ ticket_id: tk.id }, files)
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
  })

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('tickets.createTitle')}
      </Title>
      <FormCard onSubmit={submit} error={error} testId="create-ticket-form">
        <TicketFields form={form} isNew />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <HoursInput data-testid="ticket-hours" {...form.getInputProps('hours')} />
          <FileInput
            label={t('attachments.add')}
            multiple
            clearable
            data-testid="ticket-files"
            value={files}
            onChange={setFiles}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="ticket-submit">
            {t('tickets.submit')}
          </Button>
        </Group>
      </FormCard>
    </Stack>
  )
}

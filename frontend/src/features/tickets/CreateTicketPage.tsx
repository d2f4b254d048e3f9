import { useState } from 'react'
import { Button, FileInput, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api/errors'
import { subKey } from '../../api/idempotency'
import { uploadFiles } from '../../api/uploads'
import { useUser } from '../../app/session'
import { clearDraft, draftKey, loadDraft, useAutosave } from '../../components/drafts'
import { FormCard } from '../../components/FormCard'
import { HoursInput } from '../../components/HoursInput'
import { LeaveDialog, useLeaveGuard } from '../../components/LeaveGuard'
import { useApiSubmit } from '../../components/useApiSubmit'
import { formatDateTime } from '../../i18n/format'
import { createTicket, ticketKeys } from './api'
import { loadLastCategory, saveLastCategory } from './lastCategory'
import {
  TicketFields,
  ticketFieldNames,
  ticketRequest,
  useTicketForm,
  type TicketValues,
} from './TicketFields'

const isTicketValues = (v: unknown): v is TicketValues =>
  typeof v === 'object' &&
  v !== null &&
  ['title', 'content', 'department_id', 'category_id', 'ticket_priority_id'].every(
    (k) => typeof (v as Record<string, unknown>)[k] === 'string',
  )

/** Nothing typed yet: no draft to keep, nothing to warn about. */
const blank = (v: TicketValues) => v.title.trim() === '' && v.content.trim() === ''

export function CreateTicketPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const user = useUser()
  const [files, setFiles] = useState<File[]>([])
  const key = draftKey(user.id, 'new-ticket')
  const [restored, setRestored] = useState(() => loadDraft(key, isTicketValues))
  const last = loadLastCategory()
  const form = useTicketForm(
    restored?.value ?? {
      title: '',
      content: '',
      department_id: last ? String(last.department_id) : '',
      category_id: last ? String(last.category_id) : '',
      ticket_priority_id: '1',
      hours: 0,
    },
  )
  useAutosave(key, form.values, blank(form.values))
  const leave = useLeaveGuard(!blank(form.values))

  const { submit, error, busy } = useApiSubmit(form, ticketFieldNames, async (v, idem) => {
    const tk = await createTicket(ticketRequest(v), subKey(idem, 'ticket'))
    clearDraft(key)
    leave.release()
    saveLastCategory({
      department_id: Number(v.department_id),
      category_id: Number(v.category_id),
    })
    if (files.length > 0 && tk.id) {
      try {
        await uploadFiles({ ticket_id: tk.id }, files, subKey(idem, 'files'))
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
      <FormCard
        onSubmit={submit}
        error={error}
        testId="create-ticket-form"
        notice={
          restored ? (
            <Group gap="xs" data-testid="ticket-draft-restored">
              <Text size="sm" c="dimmed">
                {t('drafts.restored', { when: formatDateTime(restored.savedAt) })}{' '}
                {t('drafts.filesNotKept')}
              </Text>
              <Button
                size="compact-xs"
                variant="subtle"
                data-testid="ticket-draft-discard"
                onClick={() => {
                  clearDraft(key)
                  setRestored(null)
                  form.setValues({ title: '', content: '', hours: 0 })
                }}
              >
                {t('drafts.discard')}
              </Button>
            </Group>
          ) : null
        }
      >
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
          <Text size="xs" c="dimmed">
            {t('common.sendShortcut')}
          </Text>
          <Button
            type="submit"
            loading={busy}
            data-testid="ticket-submit"
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            {t('tickets.submit')}
          </Button>
        </Group>
      </FormCard>
      <LeaveDialog blocker={leave.blocker} />
    </Stack>
  )
}

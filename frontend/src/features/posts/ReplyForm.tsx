import { useState, type ReactNode } from 'react'
import { Button, FileInput, Group, Select, SimpleGrid, Text, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/errors'
import { options, usePriorities, useStatuses } from '../../api/lookups'
import { subKey } from '../../api/idempotency'
import { uploadFiles } from '../../api/uploads'
import { FormCard } from '../../components/FormCard'
import { HoursInput } from '../../components/HoursInput'
import { focusFirstError } from '../../components/focus'
import { useLabels } from '../../components/labels'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { replyRules } from '../../components/rules'
import { useApiSubmit } from '../../components/useApiSubmit'
import { createPost } from './api'

interface Props {
  ticketId: number
  statusId: number | undefined
  /** The statuses the reply may set (the ticket's can.change_status_to). */
  statusChoices: number[]
  priorityId: number | undefined
  /** The reply text, owned by the page so that quote buttons can fill it. */
  content: string
  onContentChange: (v: string) => void
  /** Shown when the user may close the ticket. */
  onReplyAndClose?: () => Promise<unknown>
  onDone: () => void
  /** Shown under the title (a restored draft). */
  notice?: ReactNode
}

/**
 * Reply with hours and attachments, optionally changing the status (to one
 * the server lists: not Closed, closing has its own button) and the priority.
 */
export function ReplyForm({
  ticketId,
  statusId,
  statusChoices,
  priorityId,
  content,
  onContentChange,
  onReplyAndClose,
  onDone,
  notice,
}: Props) {
  const { t } = useTranslation()
  const labels = useLabels()
  const statuses = useStatuses()
  const priorities = usePriorities()
  const [andClose, setAndClose] = useState(false)
  const current = statusId !== undefined && statusChoices.includes(statusId) ? statusId : undefined
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      hours: 0 as number | string,
      status_id: current ? String(current) : '',
      ticket_priority_id: priorityId ? String(priorityId) : '',
      files: [] as File[],
    },
    validate: { hours: replyRules(t).hours },
  })

  const fields = ['content', 'hours', 'status_id', 'ticket_priority_id']
  const { submit, error, busy } = useApiSubmit(
    form,
    fields,
    async (v, key) => {
      const contentProblem = replyRules(t).content(content)
      if (contentProblem) {
        form.setFieldError('content', contentProblem)
        focusFirstError(form, { content: contentProblem })
        return
      }
      const body: Parameters<typeof createPost>[0] = {
        ticket_id: ticketId,
        content,
        hours: Number(v.hours) || 0,
      }
      if (v.status_id && Number(v.status_id) !== current) body.status_id = Number(v.status_id)
      if (v.ticket_priority_id && Number(v.ticket_priority_id) !== priorityId) {
        body.ticket_priority_id = Number(v.ticket_priority_id)
      }
      const post = await createPost(body, subKey(key, 'reply'))
      if (v.files.length > 0 && post.id) {
        await uploadFiles({ post_id: post.id }, v.files, subKey(key, 'files')).catch((e: unknown) =>
          notifications.show({
            color: 'yellow',
            title: t('attachments.failed'),
            message: errorMessage(e, t),
          }),
        )
      }
      if (andClose && onReplyAndClose) await onReplyAndClose()
      onContentChange('')
      form.reset()
      notifications.show({
        color: 'green',
        message: andClose ? t('posts.repliedAndClosed') : t('posts.replied'),
      })
      onDone()
    },
    {},
    content,
  )

  return (
    <FormCard
      onSubmit={submit}
      error={error}
      testId="reply-form"
      title={
        <Title order={2} size="h4">
          {t('posts.replyTitle')}
        </Title>
      }
      notice={notice}
    >
      <MarkdownEditor
        label={t('posts.content')}
        testId="reply-content"
        path="content"
        shortcut="reply"
        canned
        value={content}
        onChange={(v) => {
          onContentChange(v)
          form.clearFieldError('content')
        }}
        error={form.errors.content}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('tickets.status')}
          // A closed ticket's status is not among the choices: show it.
          placeholder={current === undefined ? labels.status(statusId, '') : undefined}
          description={
            statusId !== undefined && current === undefined && statusId === 2
              ? t('posts.replyReopens')
              : undefined
          }
          data-testid="reply-status"
          data={options(
            (statuses.data ?? []).filter((s) => statusChoices.includes(s.id)),
            (s) => labels.status(s.id, s.status),
          )}
          {...form.getInputProps('status_id')}
        />
        <Select
          label={t('tickets.priority')}
          data-testid="reply-priority"
          data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
          {...form.getInputProps('ticket_priority_id')}
        />
        <HoursInput data-testid="reply-hours" {...form.getInputProps('hours')} />
      </SimpleGrid>
      <FileInput
        label={t('attachments.add')}
        multiple
        clearable
        data-testid="reply-files"
        value={form.values.files}
        onChange={(f) => form.setFieldValue('files', f)}
      />
      <Group justify="flex-end">
        <Text size="xs" c="dimmed">
          {t('common.sendShortcut')}
        </Text>
        {onReplyAndClose ? (
          <Button
            type="submit"
            variant="default"
            loading={busy && andClose}
            disabled={busy && !andClose}
            data-testid="reply-and-close"
            onClick={() => setAndClose(true)}
          >
            {t('posts.replyAndClose')}
          </Button>
        ) : null}
        <Button
          type="submit"
          loading={busy && !andClose}
          disabled={busy && andClose}
          data-testid="reply-submit"
          data-default-submit
          aria-keyshortcuts="Control+Enter Meta+Enter"
          onClick={() => setAndClose(false)}
        >
          {t('posts.reply')}
        </Button>
      </Group>
    </FormCard>
  )
}

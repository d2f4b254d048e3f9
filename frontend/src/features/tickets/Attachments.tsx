import { useState } from 'react'
import { Button, FileInput, Group } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/errors'
import { uploadFiles } from '../../api/uploads'
import { AttachmentList } from '../../components/AttachmentList'
import { listTicketUploads, ticketKeys } from './api'
import { useInvalidateTicket } from './useTicket'

/**
 * The ticket body's attachments: download for everyone (the session cookie
 * authorises it), add and remove for whoever may edit the ticket.
 */
export function TicketAttachments({ ticketId, canEdit }: { ticketId: number; canEdit: boolean }) {
  const { t } = useTranslation()
  const invalidate = useInvalidateTicket(ticketId)
  const uploads = useQuery({
    queryKey: ticketKeys.uploads(ticketId),
    queryFn: () => listTicketUploads(ticketId),
  })
  const [files, setFiles] = useState<File[]>([])
  const [busy, setBusy] = useState(false)
  const items = uploads.data ?? []
  if (!canEdit && items.length === 0) return null
  return (
    <AttachmentList
      uploads={items}
      canEdit={canEdit}
      onChange={invalidate}
      testId="ticket-attachments"
      linkTestId="attachment"
    >
      {canEdit ? (
        <Group align="flex-end" gap="xs">
          <FileInput
            size="xs"
            multiple
            clearable
            label={t('attachments.add')}
            value={files}
            onChange={setFiles}
            style={{ flex: 1 }}
            data-testid="ticket-attach-files"
          />
          <Button
            size="xs"
            data-testid="ticket-attach-submit"
            disabled={files.length === 0}
            loading={busy}
            onClick={() => {
              setBusy(true)
              uploadFiles({ ticket_id: ticketId }, files)
                .then(() => {
                  setFiles([])
                  invalidate()
                })
                .catch((e: unknown) =>
                  notifications.show({ color: 'red', message: errorMessage(e, t) }),
                )
                .finally(() => setBusy(false))
            }}
          >
            {t('attachments.upload')}
          </Button>
        </Group>
      ) : null}
    </AttachmentList>
  )
}

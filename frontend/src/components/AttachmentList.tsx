import type { ReactNode } from 'react'
import { ActionIcon, Anchor, Group, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../api/errors'
import type { Upload } from '../api/types'
import { deleteUpload, downloadUrl } from '../api/uploads'

interface Props {
  uploads: Upload[]
  /** Whoever may edit the ticket or reply may remove its attachments. */
  canEdit: boolean
  /** Called once an attachment is removed. */
  onChange: () => void
  /** The smaller size, for a reply's attachments. */
  compact?: boolean
  testId?: string
  /** The test id of each download link. */
  linkTestId: string
  /** Shown after the list (the ticket's upload form). */
  children?: ReactNode
}

/**
 * A ticket's or a reply's attachments: a download link each (the session
 * cookie authorises it), and a remove button for whoever may edit.
 */
export function AttachmentList({
  uploads,
  canEdit,
  onChange,
  compact = false,
  testId,
  linkTestId,
  children,
}: Props) {
  const { t } = useTranslation()
  return (
    <Stack gap={compact ? 2 : 4} data-testid={testId}>
      <Text size={compact ? 'xs' : 'sm'} fw={600}>
        {t('attachments.title')}
      </Text>
      {uploads.map((u) => (
        <Group key={u.id} gap="xs" wrap="nowrap">
          <Anchor
            href={downloadUrl(u.id)}
            size="sm"
            download={u.original_filename}
            truncate
            data-testid={linkTestId}
          >
            {u.original_filename}
          </Anchor>
          {canEdit ? (
            <ActionIcon
              size="sm"
              variant="subtle"
              color="red"
              aria-label={t('attachments.remove', { name: u.original_filename })}
              onClick={() => {
                deleteUpload(u.id)
                  .then(onChange)
                  .catch((e: unknown) =>
                    notifications.show({ color: 'red', message: errorMessage(e, t) }),
                  )
              }}
            >
              {'×'}
            </ActionIcon>
          ) : null}
        </Group>
      ))}
      {children}
    </Stack>
  )
}

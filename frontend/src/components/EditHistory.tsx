import { useState } from 'react'
import { Anchor, Modal, Paper, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Schema } from '../api/types'
import { formatDateTime } from '../i18n/format'

interface Props {
  queryKey: readonly unknown[]
  /** The earlier versions of the ticket's or reply's text. */
  load: () => Promise<Schema<'History'>[]>
  testId?: string
}

/** A link that opens the earlier versions of an edited text; loaded when opened. */
export function EditHistory({ queryKey, load, testId }: Props) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const h = useQuery({ queryKey, queryFn: load, enabled: open })
  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen(true)}
        data-testid={testId}
      >
        {t('posts.history')}
      </Anchor>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('posts.historyTitle')}
        size="lg"
      >
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

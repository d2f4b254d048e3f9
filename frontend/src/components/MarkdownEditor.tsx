import { lazy, Suspense, useRef, useState } from 'react'
import { Anchor, Box, Group, Paper, SimpleGrid, Tabs, Text, Textarea } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, unwrap } from '../api/client'
import { MarkdownView } from './MarkdownView'
import { insertAtCursor } from '../features/canned/insert'

// Its own chunk: the menu, its dialog and their API calls stay off the
// pages that have no text to write.
const CannedRepliesMenu = lazy(() => import('../features/canned/CannedReplies'))

async function renderMarkdown(content: string): Promise<string> {
  const res = await unwrap(api.POST('/flicket-api/markdown', { body: { content } }))
  return res.html
}

interface Props {
  label: string
  value: string
  onChange: (v: string) => void
  error?: React.ReactNode
  required?: boolean
  minRows?: number
  testId?: string
  onBlur?: () => void
  /** The form's name for the field (focus goes to it when it is in error). */
  path?: string
  /** The keyboard shortcut that focuses it (see app/shortcuts). */
  shortcut?: string
  /** Offers the canned replies menu, inserting at the cursor. */
  canned?: boolean
}

/**
 * A markdown textarea with a live preview rendered by the server (POST
 * /flicket-api/markdown), so the preview is exactly what will be shown:
 * same renderer, same sanitiser (features §8.1 S1: the original's
 * client-side preview lied). "Side by side" shows the text and its preview
 * together, the preview following the typing.
 */
export function MarkdownEditor({
  label,
  value,
  onChange,
  error,
  required,
  minRows = 6,
  testId,
  onBlur,
  path,
  shortcut,
  canned,
}: Props) {
  const { t } = useTranslation()
  const [tab, setTab] = useState<string | null>('write')
  const textarea = useRef<HTMLTextAreaElement>(null)
  // Replaces the selection (or goes at the caret; at the end when the text
  // is not shown), then gives the focus back with the caret after it.
  const insert = (snippet: string) => {
    const el = textarea.current
    const start = el ? el.selectionStart : value.length
    const end = el ? el.selectionEnd : value.length
    const next = insertAtCursor(value, start, end, snippet)
    onChange(next.value)
    if (tab === 'preview') setTab('write')
    requestAnimationFrame(() => {
      const ta = textarea.current
      if (!ta) return
      ta.focus()
      ta.setSelectionRange(next.cursor, next.cursor)
    })
  }
  const [debounced] = useDebouncedValue(value, 400)
  const showPreview = tab === 'preview' || tab === 'split'
  const preview = useQuery({
    queryKey: ['markdown', debounced],
    queryFn: () => renderMarkdown(debounced),
    enabled: showPreview && debounced.trim() !== '',
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  })
  const tid = (suffix: string) => (testId ? `${testId}${suffix}` : undefined)

  const editor = (
    <Textarea
      ref={textarea}
      id={testId}
      data-testid={testId}
      data-path={path}
      data-shortcut={shortcut}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={onBlur}
      error={error}
      autosize
      minRows={minRows}
      maxRows={24}
      required={required}
      aria-label={label}
    />
  )
  // While typing in split mode the last preview stays up until the new one
  // arrives, so it does not flicker.
  const stale = debounced !== value || preview.isPlaceholderData
  const rendered = (
    <Paper withBorder p="sm" mih={120} data-testid={tid('-preview')} aria-live="polite">
      {value.trim() === '' ? (
        <Text c="dimmed">{t('markdown.nothing')}</Text>
      ) : preview.isError ? (
        <Text c="red">{t('markdown.previewFailed')}</Text>
      ) : preview.data === undefined || (stale && tab === 'preview') ? (
        <Text c="dimmed">{t('markdown.rendering')}</Text>
      ) : (
        <MarkdownView html={preview.data} />
      )}
    </Paper>
  )

  return (
    <Box>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
          <Text component="label" htmlFor={testId} fw={500} size="sm">
            {label}
            {required ? (
              <Text span c="red" aria-hidden>
                {' *'}
              </Text>
            ) : null}
          </Text>
          <Tabs.List>
            <Tabs.Tab value="write" data-testid={tid('-write')}>
              {t('markdown.write')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid={tid('-preview-tab')}>
              {t('markdown.preview')}
            </Tabs.Tab>
            <Tabs.Tab value="split" data-testid={tid('-split-tab')}>
              {t('markdown.split')}
            </Tabs.Tab>
          </Tabs.List>
        </Group>
        {canned ? (
          <Suspense fallback={null}>
            <Group gap="xs" mt={4}>
              <CannedRepliesMenu onInsert={insert} testId={tid('-canned') ?? 'canned'} />
            </Group>
          </Suspense>
        ) : null}
        <Tabs.Panel value="write" pt="xs">
          {editor}
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="xs">
          {rendered}
          {error ? (
            <Text c="red" size="xs" mt={4}>
              {error}
            </Text>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="split" pt="xs">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {editor}
            {rendered}
          </SimpleGrid>
        </Tabs.Panel>
      </Tabs>
      <Anchor component={Link} to="/markdown-help" size="xs" target="_blank">
        {t('markdown.help')}
      </Anchor>
    </Box>
  )
}

import { useState } from 'react'
import { Anchor, Box, Group, Paper, Tabs, Text, Textarea } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, unwrap } from '../api/client'
import { MarkdownView } from './MarkdownView'

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
}

/**
 * A markdown textarea with a live preview rendered by the server (POST
 * /flicket-api/markdown), so the preview is exactly what will be shown:
 * same renderer, same sanitiser (features §8.1 S1: the original's
 * client-side preview lied).
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
}: Props) {
  const { t } = useTranslation()
  const [tab, setTab] = useState<string | null>('write')
  const [debounced] = useDebouncedValue(value, 400)
  const showPreview = tab === 'preview'
  const preview = useQuery({
    queryKey: ['markdown', debounced],
    queryFn: () => renderMarkdown(debounced),
    enabled: showPreview && debounced.trim() !== '',
    staleTime: Infinity,
  })

  return (
    <Box>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Group justify="space-between" align="flex-end" wrap="nowrap">
          <Text component="label" htmlFor={testId} fw={500} size="sm">
            {label}
            {required ? (
              <Text span c="red" aria-hidden>
                {' *'}
              </Text>
            ) : null}
          </Text>
          <Tabs.List>
            <Tabs.Tab value="write" data-testid={testId ? `${testId}-write` : undefined}>
              {t('markdown.write')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid={testId ? `${testId}-preview-tab` : undefined}>
              {t('markdown.preview')}
            </Tabs.Tab>
          </Tabs.List>
        </Group>
        <Tabs.Panel value="write" pt="xs">
          <Textarea
            id={testId}
            data-testid={testId}
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
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="xs">
          <Paper withBorder p="sm" mih={120} data-testid={testId ? `${testId}-preview` : undefined}>
            {value.trim() === '' ? (
              <Text c="dimmed">{t('markdown.nothing')}</Text>
            ) : preview.isError ? (
              <Text c="red">{t('markdown.previewFailed')}</Text>
            ) : preview.data === undefined || debounced !== value ? (
              <Text c="dimmed">{t('markdown.rendering')}</Text>
            ) : (
              <MarkdownView html={preview.data} />
            )}
          </Paper>
          {error ? (
            <Text c="red" size="xs" mt={4}>
              {error}
            </Text>
          ) : null}
        </Tabs.Panel>
      </Tabs>
      <Anchor component={Link} to="/markdown-help" size="xs" target="_blank">
        {t('markdown.help')}
      </Anchor>
    </Box>
  )
}

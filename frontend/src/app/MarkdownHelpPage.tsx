import { Code, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** The markdown cheat sheet (the original's /markdown_primer/). */
const examples: { key: string; src: string }[] = [
  { key: 'heading', src: '# Heading 1\n## Heading 2' },
  { key: 'emphasis', src: '*italic*  **bold**  ~~strike~~' },
  { key: 'list', src: '- item\n- item\n  - nested\n1. first\n2. second' },
  { key: 'link', src: '[Flicket](https://example.com)' },
  { key: 'image', src: '![alt text](https://example.com/picture.png)' },
  { key: 'code', src: 'Inline `code`\n\n```\nblock of code\n```' },
  { key: 'quote', src: '> quoted text' },
  { key: 'table', src: '| a | b |\n|---|---|\n| 1 | 2 |' },
  { key: 'rule', src: '---' },
]

export function MarkdownHelpPage() {
  const { t } = useTranslation()
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('markdownHelp.title')}
      </Title>
      <Text>{t('markdownHelp.intro')}</Text>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={320} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('markdownHelp.what')}</Table.Th>
                <Table.Th>{t('markdownHelp.type')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {examples.map((e) => (
                <Table.Tr key={e.key}>
                  <Table.Td>{t(`markdownHelp.${e.key}`)}</Table.Td>
                  <Table.Td>
                    <Code block>{e.src}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Text size="sm" c="dimmed">
        {t('markdownHelp.safety')}
      </Text>
    </Stack>
  )
}

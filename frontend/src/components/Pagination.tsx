import { Group, Pagination as MantinePagination, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Meta } from '../api/types'

/** Page controls for the API's _meta; hidden when everything fits on one page. */
export function Pagination({
  meta,
  onChange,
}: {
  meta: Meta | undefined
  onChange: (page: number) => void
}) {
  const { t } = useTranslation()
  const total = meta?.total_pages ?? 0
  if (total <= 1) return null
  return (
    <Group justify="space-between" wrap="wrap" gap="xs" data-testid="pagination">
      <Text size="sm" c="dimmed">
        {t('pagination.summary', {
          page: meta?.page ?? 1,
          pages: total,
          items: meta?.total_items ?? 0,
        })}
      </Text>
      <MantinePagination
        total={total}
        value={meta?.page ?? 1}
        onChange={onChange}
        siblings={1}
        boundaries={1}
        size="sm"
        getControlProps={(control) => ({ 'aria-label': t(`pagination.${control}`) })}
      />
    </Group>
  )
}

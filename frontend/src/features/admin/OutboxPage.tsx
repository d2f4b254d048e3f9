import { useState } from 'react'
import { Badge, Stack, Table, Text, Title } from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Schema } from '../../api/types'
import { DataTable } from '../../components/DataTable'
import { ErrorBanner } from '../../components/ErrorBanner'
import { Pagination } from '../../components/Pagination'
import { formatDateTime } from '../../i18n/format'
import { adminKeys, listOutbox } from './api'

const statusColor = (s: Schema<'OutboxMail'>['status']) =>
  s === 'sent' ? 'green' : s === 'failed' ? 'red' : 'yellow'

/** The mail outbox: what notifications were sent, are waiting, or failed. */
export function OutboxPage() {
  const { t } = useTranslation()
  const [page, setPage] = useState(1)
  const mails = useQuery({
    queryKey: adminKeys.outbox(page),
    queryFn: () => listOutbox(page),
    placeholderData: keepPreviousData,
  })
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('outbox.title')}
      </Title>
      <ErrorBanner error={mails.error} />
      {mails.data?.items.length === 0 ? <Text c="dimmed">{t('outbox.empty')}</Text> : null}
      <DataTable
        minWidth={640}
        columns={[
          t('outbox.created'),
          t('outbox.to'),
          t('outbox.subject'),
          t('outbox.status'),
          t('outbox.attempts'),
        ]}
      >
        {(mails.data?.items ?? []).map((m) => (
          <Table.Tr key={m.id}>
            <Table.Td>{formatDateTime(m.created_at)}</Table.Td>
            <Table.Td>{m.recipient_email}</Table.Td>
            <Table.Td>{m.subject}</Table.Td>
            <Table.Td>
              <Badge color={statusColor(m.status)} title={m.last_error ?? undefined}>
                {m.status}
              </Badge>
            </Table.Td>
            <Table.Td>{m.attempts}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pagination meta={mails.data?._meta} onChange={setPage} />
    </Stack>
  )
}

import { useEffect, useState } from 'react'
import { Anchor, Badge, Group, Stack, Table, TextInput, Title } from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { DataTable } from '../../components/DataTable'
import { ErrorBanner } from '../../components/ErrorBanner'
import { Pagination } from '../../components/Pagination'
import { formatNumber } from '../../i18n/format'
import { listUsers } from './api'

/** The user directory: search by username, name or e-mail (?q=). */
export function UsersPage() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const page = Math.max(1, Number(params.get('page')) || 1)
  const [text, setText] = useState(q)
  useEffect(() => {
    if (text === q) return
    const h = setTimeout(() => setParams(text ? { q: text } : {}), 400)
    return () => clearTimeout(h)
  }, [text, q, setParams])
  const users = useQuery({
    queryKey: ['users', q, page],
    queryFn: () => listUsers(q, page),
    placeholderData: keepPreviousData,
  })
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('users.title')}
      </Title>
      <TextInput
        label={t('users.search')}
        placeholder={t('users.searchPlaceholder')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        maw={400}
        data-testid="users-search"
      />
      <ErrorBanner error={users.error} />
      <DataTable
        minWidth={640}
        testId="users-table"
        columns={[
          t('users.username'),
          t('users.name'),
          t('users.email'),
          t('users.jobTitle'),
          t('users.posts'),
          t('users.assigned'),
        ]}
      >
        {(users.data?.items ?? []).map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Anchor component={Link} to={`/users/${u.id}`}>
                  {u.username}
                </Anchor>
                {u.is_admin ? (
                  <Badge size="xs" color="red">
                    {t('users.admin')}
                  </Badge>
                ) : u.is_super_user ? (
                  <Badge size="xs" color="grape">
                    {t('users.superUser')}
                  </Badge>
                ) : null}
              </Group>
            </Table.Td>
            <Table.Td>{u.name}</Table.Td>
            <Table.Td>
              <Anchor href={`mailto:${u.email}`}>{u.email}</Anchor>
            </Table.Td>
            <Table.Td>{u.job_title}</Table.Td>
            <Table.Td>{formatNumber(u.total_posts)}</Table.Td>
            <Table.Td>{formatNumber(u.total_assigned)}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pagination
        meta={users.data?._meta}
        onChange={(p) => setParams({ ...(q ? { q } : {}), ...(p > 1 ? { page: String(p) } : {}) })}
      />
    </Stack>
  )
}

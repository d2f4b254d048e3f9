import { useState } from 'react'
import { Badge, Button, Group, Modal, Stack, Table, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { User } from '../../api/types'
import { DataTable } from '../../components/DataTable'
import { ErrorBanner } from '../../components/ErrorBanner'
import { Pagination } from '../../components/Pagination'
import { RowActions } from '../../components/RowActions'
import { adminKeys, deleteUser, listUsers } from './api'
import { UserForm } from './UserForm'

/** Administration of accounts: create, edit (groups, disable), delete. */
export function AdminUsersPage() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const [page, setPage] = useState(1)
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const users = useQuery({
    queryKey: adminKeys.users(q, page),
    queryFn: () => listUsers(q, page),
    placeholderData: keepPreviousData,
  })
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['admin', 'users'] })
    void qc.invalidateQueries({ queryKey: ['users'] })
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.usersTitle')}
        </Title>
        <Button onClick={() => setEditing('new')} data-testid="admin-add-user">
          {t('admin.addUser')}
        </Button>
      </Group>
      <TextInput
        label={t('users.search')}
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value)
          setPage(1)
        }}
        maw={400}
      />
      <ErrorBanner error={users.error} />
      <DataTable
        minWidth={600}
        testId="admin-users-table"
        columns={[t('users.username'), t('users.name'), t('users.email'), t('admin.groups'), null]}
      >
        {(users.data?.items ?? []).map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td>
              {u.username}{' '}
              {u.disabled ? (
                <Badge size="xs" color="gray">
                  {t('admin.disabledBadge')}
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>{u.name}</Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>{(u.groups ?? []).join(', ')}</Table.Td>
            <Table.Td>
              <RowActions
                wrap="nowrap"
                justify="flex-end"
                editLabel={t('common.edit')}
                onEdit={() => setEditing(u)}
                deleteTitle={t('admin.deleteUserTitle')}
                deleteMessage={t('admin.deleteUserConfirm', { name: u.username })}
                // The server refuses to delete user 1.
                onDelete={
                  u.id !== 1
                    ? async () => {
                        await deleteUser(u.id)
                        notifications.show({ color: 'green', message: t('admin.userDeleted') })
                        refresh()
                      }
                    : undefined
                }
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Pagination meta={users.data?._meta} onChange={setPage} />
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('admin.addUser') : t('admin.editUser')}
        size="lg"
      >
        {editing !== null ? (
          <UserForm
            user={editing === 'new' ? undefined : editing}
            onDone={(u) => {
              notifications.show({
                color: 'green',
                message:
                  editing === 'new'
                    ? t('admin.userCreated', { name: u.username })
                    : t('admin.userSaved'),
              })
              setEditing(null)
              refresh()
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  )
}

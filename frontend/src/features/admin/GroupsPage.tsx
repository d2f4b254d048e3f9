import { useState } from 'react'
import { Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Schema } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { NameForm } from '../../components/NameForm'
import { RowActions } from '../../components/RowActions'
import { adminKeys, createGroup, deleteGroup, listGroups, renameGroup } from './api'

const PROTECTED = 'flicket_admin'

/** Groups: only flicket_admin and super_user carry permissions; others are labels. */
export function GroupsPage() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const groups = useQuery({ queryKey: adminKeys.groups, queryFn: listGroups })
  const refresh = () => void qc.invalidateQueries({ queryKey: adminKeys.groups })
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        {t('admin.groupsTitle')}
      </Title>
      <Text c="dimmed">{t('admin.groupsIntro')}</Text>
      <Paper withBorder p="sm">
        <GroupNameForm
          submitLabel={t('common.add')}
          onSubmit={async (n, key) => {
            await createGroup(n, key)
            refresh()
          }}
        />
      </Paper>
      <ErrorBanner error={groups.error} />
      <Table>
        <Table.Tbody>
          {(groups.data ?? []).map((g) => (
            <GroupRow key={g.id} group={g} refresh={refresh} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

function GroupRow({ group: g, refresh }: { group: Schema<'Group'>; refresh: () => void }) {
  const { t } = useTranslation()
  const [renaming, setRenaming] = useState(false)
  const fixed = g.group_name === PROTECTED
  return (
    <Table.Tr>
      <Table.Td>
        {renaming ? (
          <GroupNameForm
            initial={g.group_name}
            submitLabel={t('common.save')}
            onCancel={() => setRenaming(false)}
            onSubmit={async (n) => {
              await renameGroup(g.id, n)
              setRenaming(false)
              refresh()
            }}
          />
        ) : (
          g.group_name
        )}
      </Table.Td>
      <Table.Td>
        {!renaming && !fixed ? (
          <RowActions
            justify="flex-end"
            wrap="nowrap"
            editLabel={t('common.rename')}
            onEdit={() => setRenaming(true)}
            deleteTitle={t('admin.deleteGroupTitle')}
            deleteMessage={t('admin.deleteGroupConfirm', { name: g.group_name })}
            onDelete={async () => {
              await deleteGroup(g.id)
              refresh()
            }}
          />
        ) : null}
      </Table.Td>
    </Table.Tr>
  )
}

/** A group's name: 3 to 64 characters. */
function GroupNameForm(props: {
  initial?: string
  submitLabel: string
  onSubmit: (name: string, key: string) => Promise<unknown>
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  return (
    <NameForm
      {...props}
      label={t('admin.groupName')}
      field="group_name"
      check={(v) => {
        const n = v.trim().length
        return n < 3 || n > 64 ? t('validation.length', { min: 3, max: 64 }) : null
      }}
    />
  )
}

import { useState } from 'react'
import { Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage, fieldErrors } from '../../api/errors'
import type { Schema } from '../../api/types'
import { ConfirmButton } from '../../components/ConfirmButton'
import { ErrorBanner } from '../../components/ErrorBanner'
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
          onSubmit={async (n) => {
            await createGroup(n)
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
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={() => setRenaming(true)}>
              {t('common.rename')}
            </Button>
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="red"
              title={t('admin.deleteGroupTitle')}
              message={t('admin.deleteGroupConfirm', { name: g.group_name })}
              confirmLabel={t('common.delete')}
              onConfirm={async () => {
                await deleteGroup(g.id)
                refresh()
              }}
            >
              {t('common.delete')}
            </ConfirmButton>
          </Group>
        ) : null}
      </Table.Td>
    </Table.Tr>
  )
}

function GroupNameForm({
  initial = '',
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: string
  submitLabel: string
  onSubmit: (name: string) => Promise<unknown>
  onCancel?: () => void
}) {
  const { t } = useTranslation()
  const [value, setValue] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const n = value.trim().length
        if (n < 3 || n > 64) {
          setError(t('validation.length', { min: 3, max: 64 }))
          return
        }
        onSubmit(value.trim())
          .then(() => {
            setValue(initial)
            setError(null)
          })
          .catch((err: unknown) =>
            setError(fieldErrors(err, t, ['group_name']).fields.group_name ?? errorMessage(err, t)),
          )
      }}
    >
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          aria-label={t('admin.groupName')}
          placeholder={t('admin.groupName')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          size="xs"
          style={{ flex: 1 }}
        />
        <Button type="submit" size="xs">
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        ) : null}
      </Group>
    </form>
  )
}

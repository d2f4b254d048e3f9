import { useState, type ReactNode } from 'react'
import { Group, Paper, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Department } from '../../api/types'
import { useSession } from '../../app/session'
import { ErrorBanner } from '../../components/ErrorBanner'
import { Pagination } from '../../components/Pagination'
import { RowActions } from '../../components/RowActions'
import {
  createCategory,
  createDepartment,
  deleteCategory,
  deleteDepartment,
  deptKeys,
  listCategories,
  listDepartments,
  renameCategory,
  renameDepartment,
} from './api'
import { NameForm } from './NameForm'

/**
 * Departments and their categories. Everyone reads; administrators and
 * super users add, rename and delete (the original let anyone add, §8.1 S4).
 */
export function DepartmentsPage() {
  const { t } = useTranslation()
  const { user } = useSession()
  const manage = user?.can.manage_departments === true
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const list = useQuery({
    queryKey: deptKeys.page(page),
    queryFn: () => listDepartments(page),
    placeholderData: keepPreviousData,
  })
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['departments'] })
    void qc.invalidateQueries({ queryKey: ['lookup'] })
  }
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('departments.title')}
      </Title>
      <Text c="dimmed">{manage ? t('departments.introManage') : t('departments.intro')}</Text>
      {manage ? (
        <Paper withBorder p="sm">
          <NameForm
            label={t('departments.newDepartment')}
            field="department"
            submitLabel={t('common.add')}
            testId="new-department"
            onSubmit={async (name, key) => {
              await createDepartment(name, key)
              notifications.show({ color: 'green', message: t('departments.added', { name }) })
              refresh()
            }}
          />
        </Paper>
      ) : null}
      <ErrorBanner error={list.error} />
      <Pagination meta={list.data?._meta} onChange={setPage} />
      {(list.data?.items ?? []).map((d) => (
        <DepartmentCard key={d.id} department={d} manage={manage} refresh={refresh} />
      ))}
    </Stack>
  )
}

function DepartmentCard({
  department: d,
  manage,
  refresh,
}: {
  department: Department
  manage: boolean
  refresh: () => void
}) {
  const { t } = useTranslation()
  const id = d.id
  const cats = useQuery({ queryKey: deptKeys.categories(id), queryFn: () => listCategories(id) })
  return (
    <Paper withBorder p="md" data-testid="department">
      <Stack gap="xs">
        <ManagedName
          field="department"
          name={d.department}
          label={t('departments.department')}
          wrap="wrap"
          manage={manage}
          refresh={refresh}
          rename={(name) => renameDepartment(id, name)}
          remove={() => deleteDepartment(id)}
          deleteTitle={t('departments.deleteTitle')}
          deleteMessage={t('departments.deleteConfirm', { name: d.department })}
          deleteBlocked={
            cats.data && cats.data.length > 0
              ? t('departments.deleteHasCategories', {
                  name: d.department,
                  count: cats.data.length,
                })
              : undefined
          }
        >
          <Title order={2} size="h4">
            {d.department}
          </Title>
        </ManagedName>
        <Stack gap={2} pl="sm">
          {cats.data?.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('departments.noCategories')}
            </Text>
          ) : null}
          {(cats.data ?? []).map((c) => (
            <ManagedName
              key={c.id}
              field="category"
              name={c.category}
              label={t('departments.category')}
              wrap="nowrap"
              testId="category"
              manage={manage}
              refresh={refresh}
              rename={(name) => renameCategory(c.id, name)}
              remove={() => deleteCategory(c.id)}
              deleteTitle={t('departments.deleteCategoryTitle')}
              deleteMessage={t('departments.deleteCategoryConfirm', { name: c.category })}
            >
              <Text size="sm">{c.category}</Text>
            </ManagedName>
          ))}
        </Stack>
        {manage ? (
          <NameForm
            label={t('departments.newCategory')}
            field="category"
            submitLabel={t('common.add')}
            testId="new-category"
            onSubmit={async (name, key) => {
              await createCategory(id, name, key)
              refresh()
            }}
          />
        ) : null}
      </Stack>
    </Paper>
  )
}

/**
 * A department's or category's name, with Rename and Delete for managers;
 * Rename puts the name form in its place.
 */
function ManagedName({
  field,
  name,
  label,
  wrap,
  testId,
  manage,
  refresh,
  rename,
  remove,
  deleteTitle,
  deleteMessage,
  deleteBlocked,
  children,
}: {
  field: 'department' | 'category'
  name: string
  label: string
  wrap: 'wrap' | 'nowrap'
  testId?: string
  manage: boolean
  refresh: () => void
  rename: (name: string) => Promise<unknown>
  remove: () => Promise<unknown>
  deleteTitle: string
  deleteMessage: string
  /** Why it cannot be deleted now, said instead of asking. */
  deleteBlocked?: string
  /** The name as shown. */
  children: ReactNode
}) {
  const { t } = useTranslation()
  const [renaming, setRenaming] = useState(false)
  if (renaming) {
    return (
      <NameForm
        label={label}
        field={field}
        initial={name}
        submitLabel={t('common.save')}
        testId={`rename-${field}-name`}
        onCancel={() => setRenaming(false)}
        onSubmit={async (n) => {
          await rename(n)
          setRenaming(false)
          refresh()
        }}
      />
    )
  }
  return (
    <Group justify="space-between" wrap={wrap} data-testid={testId}>
      {children}
      {manage ? (
        <RowActions
          wrap={wrap}
          editLabel={t('common.rename')}
          onEdit={() => setRenaming(true)}
          editTestId={`rename-${field}`}
          deleteTitle={deleteTitle}
          deleteMessage={deleteMessage}
          deleteBlocked={deleteBlocked}
          deleteTestId={`delete-${field}`}
          onDelete={async () => {
            await remove()
            refresh()
          }}
        />
      ) : null}
    </Group>
  )
}

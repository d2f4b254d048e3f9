import { useState } from 'react'
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Category, Department } from '../../api/types'
import { isAdminOrSuper, useSession } from '../../app/session'
import { ConfirmButton } from '../../components/ConfirmButton'
import { ErrorBanner } from '../../components/ErrorBanner'
import { Pagination } from '../../components/Pagination'
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
  const manage = isAdminOrSuper(user)
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
            onSubmit={async (name) => {
              await createDepartment(name)
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
  const [renaming, setRenaming] = useState(false)
  const id = d.id
  const cats = useQuery({ queryKey: deptKeys.categories(id), queryFn: () => listCategories(id) })
  return (
    <Paper withBorder p="md" data-testid="department">
      <Stack gap="xs">
        {renaming ? (
          <NameForm
            label={t('departments.department')}
            field="department"
            initial={d.department}
            submitLabel={t('common.save')}
            testId="rename-department-name"
            onCancel={() => setRenaming(false)}
            onSubmit={async (name) => {
              await renameDepartment(id, name)
              setRenaming(false)
              refresh()
            }}
          />
        ) : (
          <Group justify="space-between" wrap="wrap">
            <Title order={2} size="h4">
              {d.department}
            </Title>
            {manage ? (
              <Group gap={4}>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => setRenaming(true)}
                  data-testid="rename-department"
                >
                  {t('common.rename')}
                </Button>
                <ConfirmButton
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  testId="delete-department"
                  title={t('departments.deleteTitle')}
                  message={t('departments.deleteConfirm', { name: d.department })}
                  confirmLabel={t('common.delete')}
                  onConfirm={async () => {
                    await deleteDepartment(id)
                    refresh()
                  }}
                >
                  {t('common.delete')}
                </ConfirmButton>
              </Group>
            ) : null}
          </Group>
        )}
        <Stack gap={2} pl="sm">
          {cats.data?.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('departments.noCategories')}
            </Text>
          ) : null}
          {(cats.data ?? []).map((c) => (
            <CategoryRow key={c.id} category={c} manage={manage} refresh={refresh} />
          ))}
        </Stack>
        {manage ? (
          <NameForm
            label={t('departments.newCategory')}
            field="category"
            submitLabel={t('common.add')}
            testId="new-category"
            onSubmit={async (name) => {
              await createCategory(id, name)
              refresh()
            }}
          />
        ) : null}
      </Stack>
    </Paper>
  )
}

function CategoryRow({
  category: c,
  manage,
  refresh,
}: {
  category: Category
  manage: boolean
  refresh: () => void
}) {
  const { t } = useTranslation()
  const [renaming, setRenaming] = useState(false)
  const id = c.id
  if (renaming) {
    return (
      <NameForm
        label={t('departments.category')}
        field="category"
        initial={c.category}
        submitLabel={t('common.save')}
        testId="rename-category-name"
        onCancel={() => setRenaming(false)}
        onSubmit={async (name) => {
          await renameCategory(id, name)
          setRenaming(false)
          refresh()
        }}
      />
    )
  }
  return (
    <Group justify="space-between" wrap="nowrap" data-testid="category">
      <Text size="sm">{c.category}</Text>
      {manage ? (
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => setRenaming(true)}
            data-testid="rename-category"
          >
            {t('common.rename')}
          </Button>
          <ConfirmButton
            size="compact-xs"
            variant="subtle"
            color="red"
            testId="delete-category"
            title={t('departments.deleteCategoryTitle')}
            message={t('departments.deleteCategoryConfirm', { name: c.category })}
            confirmLabel={t('common.delete')}
            onConfirm={async () => {
              await deleteCategory(id)
              refresh()
            }}
          >
            {t('common.delete')}
          </ConfirmButton>
        </Group>
      ) : null}
    </Group>
  )
}

import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Schema, User } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { LanguageSelect } from '../../components/LanguageSelect'
import { useApiSubmit } from '../../components/useApiSubmit'
import { adminKeys, createUser, listGroups, updateUser } from './api'

const fields = [
  'username',
  'name',
  'email',
  'job_title',
  'password',
  'locale',
  'groups',
  'disabled',
] as const

/**
 * Create (user undefined) or edit a user. Rules of the original's admin
 * forms (features §3.16, §2.4): username 4–24, name 4–60, e-mail 6–60,
 * job title up to 64, password 6–60 with a letter (optional when editing).
 */
export function UserForm({ user, onDone }: { user?: User; onDone: (u: User) => void }) {
  const { t } = useTranslation()
  const editing = user !== undefined
  const groups = useQuery({ queryKey: adminKeys.groups, queryFn: listGroups })
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      username: user?.username ?? '',
      name: user?.name ?? '',
      email: user?.email ?? '',
      job_title: user?.job_title === 'unknown' ? '' : (user?.job_title ?? ''),
      password: '',
      confirm: '',
      locale: user?.locale ?? 'en',
      groups: user?.groups ?? ([] as string[]),
      disabled: user?.disabled ?? false,
    },
    validate: {
      username: (v) =>
        v.trim().length < 4 || v.trim().length > 24
          ? t('validation.length', { min: 4, max: 24 })
          : null,
      name: (v) =>
        v.trim().length < 4 || v.trim().length > 60
          ? t('validation.length', { min: 4, max: 60 })
          : null,
      email: (v) =>
        !/^\S+@\S+\.\S+$/.test(v.trim())
          ? t('validation.email')
          : v.trim().length < 6 || v.trim().length > 60
            ? t('validation.length', { min: 6, max: 60 })
            : null,
      job_title: (v) => (v.length > 64 ? t('validation.max', { max: 64 }) : null),
      password: (v) => {
        if (editing && v === '') return null
        if (v.length < 6 || v.length > 60) return t('validation.length', { min: 6, max: 60 })
        if (!/[A-Za-z]/.test(v)) return t('validation.passwordLetter')
        return null
      },
      confirm: (v, values) => (v === values.password ? null : t('validation.passwordsDiffer')),
    },
  })
  const { submit, error } = useApiSubmit(form, fields, async (v, key) => {
    const body: Schema<'UserCreateRequest'> = {
      username: v.username.trim(),
      name: v.name.trim(),
      email: v.email.trim(),
      job_title: v.job_title.trim(),
      password: v.password,
      locale: v.locale === 'fr' ? 'fr' : 'en',
      groups: v.groups,
      disabled: v.disabled,
    }
    let saved: User
    if (user?.id !== undefined) {
      const patch: Schema<'UserUpdateRequest'> = { ...body }
      if (v.password === '') delete patch.password
      saved = await updateUser(user.id, patch)
    } else {
      saved = await createUser(body, key)
    }
    onDone(saved)
  })
  return (
    <form onSubmit={submit} noValidate data-testid="user-form">
      <Stack>
        <ErrorBanner error={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('users.username')}
            required
            data-testid="user-username"
            {...form.getInputProps('username')}
          />
          <TextInput
            label={t('users.name')}
            required
            data-testid="user-name"
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('users.email')}
            type="email"
            required
            data-testid="user-email"
            {...form.getInputProps('email')}
          />
          <TextInput label={t('users.jobTitle')} {...form.getInputProps('job_title')} />
          <PasswordInput
            label={t('auth.password')}
            required={!editing}
            description={editing ? t('admin.passwordKeep') : undefined}
            autoComplete="new-password"
            data-testid="user-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('auth.confirmPassword')}
            required={!editing}
            autoComplete="new-password"
            data-testid="user-confirm"
            {...form.getInputProps('confirm')}
          />
          <LanguageSelect {...form.getInputProps('locale')} />
          <MultiSelect
            label={t('admin.groups')}
            data={(groups.data ?? []).map((g) => g.group_name)}
            {...form.getInputProps('groups')}
          />
        </SimpleGrid>
        <Checkbox
          label={t('admin.disabled')}
          {...form.getInputProps('disabled', { type: 'checkbox' })}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="user-submit">
            {editing ? t('common.save') : t('admin.createUser')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

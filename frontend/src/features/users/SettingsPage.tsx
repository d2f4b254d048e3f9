import { useState } from 'react'
import {
  Avatar,
  Button,
  FileButton,
  Group,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/errors'
import type { Schema } from '../../api/types'
import { useSession, useUser } from '../../app/session'
import { FormCard } from '../../components/FormCard'
import { LanguageSelect } from '../../components/LanguageSelect'
import { useApiSubmit } from '../../components/useApiSubmit'
import { passwordProblem } from '../../components/password'
import { isLanguage, setLanguage } from '../../i18n'
import { removeAvatar, updateMe, uploadAvatar } from './api'

/** My settings: name, e-mail, job title, language, avatar, password. */
export function SettingsPage() {
  const { t } = useTranslation()
  const user = useUser()
  const { setUser } = useSession()
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: user.name,
      email: user.email,
      job_title: user.job_title === 'unknown' ? '' : user.job_title,
      locale: user.locale ?? 'en',
      current_password: '',
      new_password: '',
      confirm: '',
    },
    validate: {
      name: (v) =>
        v.trim().length < 4 || v.trim().length > 60
          ? t('validation.length', { min: 4, max: 60 })
          : null,
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('validation.email')),
      job_title: (v) => (v.length > 64 ? t('validation.max', { max: 64 }) : null),
      new_password: (v) => {
        if (v === '') return null
        const p = passwordProblem(v)
        return p ? t(`validation.${p}`) : null
      },
      confirm: (v, values) => (v === values.new_password ? null : t('validation.passwordsDiffer')),
      current_password: (v, values) =>
        values.new_password !== '' && v === '' ? t('validation.currentPassword') : null,
    },
  })

  // The API calls the new password "password"; the form, new_password.
  const fields = ['name', 'email', 'job_title', 'locale', 'current_password', 'password']
  const { submit, error } = useApiSubmit(
    form,
    fields,
    async (v) => {
      const body: Schema<'MeUpdateRequest'> = {
        name: v.name.trim(),
        email: v.email.trim(),
        job_title: v.job_title.trim(),
        locale: isLanguage(v.locale) ? v.locale : 'en',
      }
      if (v.new_password) {
        body.password = v.new_password
        body.current_password = v.current_password
      }
      const u = await updateMe(body)
      setUser(u)
      if (isLanguage(v.locale)) void setLanguage(v.locale)
      form.setValues({ current_password: '', new_password: '', confirm: '' })
      notifications.show({ color: 'green', message: t('settings.saved') })
    },
    { password: 'new_password' },
  )

  // The avatar's URL does not change with the picture: a version in the
  // query makes the browser fetch the new one.
  const [avatarVersion, setAvatarVersion] = useState(0)
  const avatarAction = (p: Promise<unknown>) =>
    p
      .then(() => {
        setAvatarVersion((v) => v + 1)
        notifications.show({ color: 'green', message: t('settings.avatarSaved') })
      })
      .catch((e: unknown) => notifications.show({ color: 'red', message: errorMessage(e, t) }))

  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        {t('settings.title')}
      </Title>
      <Paper withBorder p="md">
        <Group>
          <Avatar
            src={avatarVersion > 0 ? `${user.avatar}?v=${avatarVersion}` : user.avatar}
            data-testid="settings-avatar"
            size="lg"
            radius="xl"
            alt={t('users.avatarOf', { name: user.name })}
          />
          <FileButton
            accept="image/png,image/jpeg,image/gif,image/webp"
            inputProps={{ 'data-testid': 'avatar-input' } as React.ComponentProps<'input'>}
            onChange={(f) => f && void avatarAction(uploadAvatar(f))}
          >
            {(props) => (
              <Button variant="light" size="xs" {...props}>
                {t('settings.changeAvatar')}
              </Button>
            )}
          </FileButton>
          <Button
            variant="subtle"
            color="red"
            size="xs"
            data-testid="avatar-remove"
            onClick={() => void avatarAction(removeAvatar())}
          >
            {t('settings.removeAvatar')}
          </Button>
        </Group>
      </Paper>
      <FormCard onSubmit={submit} error={error} testId="settings-form">
        <TextInput
          label={t('users.username')}
          value={user.username}
          readOnly
          description={t('settings.usernameFixed')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('users.name')}
            required
            {...form.getInputProps('name')}
            data-testid="settings-name"
          />
          <TextInput
            label={t('users.email')}
            type="email"
            required
            {...form.getInputProps('email')}
          />
          <TextInput label={t('users.jobTitle')} {...form.getInputProps('job_title')} />
          <LanguageSelect {...form.getInputProps('locale')} />
        </SimpleGrid>
        <Title order={2} size="h5">
          {t('settings.passwordTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <PasswordInput
            label={t('settings.currentPassword')}
            autoComplete="current-password"
            {...form.getInputProps('current_password')}
          />
          <PasswordInput
            label={t('auth.newPassword')}
            autoComplete="new-password"
            {...form.getInputProps('new_password')}
          />
          <PasswordInput
            label={t('auth.confirmPassword')}
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="settings-save">
            {t('common.save')}
          </Button>
        </Group>
      </FormCard>
    </Stack>
  )
}

import { useEffect, useState } from 'react'
import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage, fieldErrors } from '../../api/errors'
import type { Schema } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { FormCard } from '../../components/FormCard'
import { useApiSubmit } from '../../components/useApiSubmit'
import { adminKeys, getConfig, sendTestEmail, updateConfig } from './api'

type Config = Schema<'Config'>

const mailSwitches = [
  'mail_use_tls',
  'mail_use_ssl',
  'mail_debug',
  'mail_suppress_send',
  'mail_ascii_attachments',
] as const

const textFields = [
  'mail_server',
  'mail_username',
  'mail_default_sender',
  'application_title',
  'allowed_extensions',
  'base_url',
] as const
const numberFields = ['mail_port', 'mail_max_emails', 'posts_per_page', 'csv_dump_limit'] as const
const boolFields = [
  'mail_use_tls',
  'mail_use_ssl',
  'mail_debug',
  'mail_suppress_send',
  'mail_ascii_attachments',
  'change_category',
  'change_category_only_admin_or_super_user',
] as const

function initial(c: Config | undefined) {
  return {
    mail_server: c?.mail_server ?? '',
    mail_username: c?.mail_username ?? '',
    mail_default_sender: c?.mail_default_sender ?? '',
    application_title: c?.application_title ?? '',
    allowed_extensions: c?.allowed_extensions ?? '',
    base_url: c?.base_url ?? '',
    mail_port: c?.mail_port ?? 465,
    mail_max_emails: c?.mail_max_emails ?? 10,
    posts_per_page: c?.posts_per_page ?? 50,
    csv_dump_limit: c?.csv_dump_limit ?? 1000,
    mail_use_tls: c?.mail_use_tls ?? false,
    mail_use_ssl: c?.mail_use_ssl ?? false,
    mail_debug: c?.mail_debug ?? false,
    mail_suppress_send: c?.mail_suppress_send ?? true,
    mail_ascii_attachments: c?.mail_ascii_attachments ?? false,
    change_category: c?.change_category ?? false,
    change_category_only_admin_or_super_user: c?.change_category_only_admin_or_super_user ?? false,
    mail_password: '',
  }
}

/** Site settings (features §1.14); the mail password is only replaced when typed. */
export function ConfigPage() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const config = useQuery({ queryKey: adminKeys.config, queryFn: getConfig })
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(undefined),
    validate: {
      application_title: (v) =>
        v.trim().length < 3 || v.trim().length > 32
          ? t('validation.length', { min: 3, max: 32 })
          : null,
      posts_per_page: (v) =>
        v < 10 || v > 200 ? t('validation.range', { min: 10, max: 200 }) : null,
      mail_port: (v) => (v < 1 || v > 65535 ? t('validation.range', { min: 1, max: 65535 }) : null),
      allowed_extensions: (v) => (v.trim() === '' ? t('validation.required') : null),
      base_url: (v) => (v !== '' && !/^https?:\/\/\S+$/.test(v) ? t('validation.url') : null),
    },
  })
  const loaded = config.data
  useEffect(() => {
    if (loaded) form.setValues(initial(loaded))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded])

  const fields = [...textFields, ...numberFields, ...boolFields, 'mail_password']
  const { submit, error } = useApiSubmit(form, fields, async (v) => {
    const body: Schema<'ConfigUpdateRequest'> = {}
    for (const k of textFields) body[k] = v[k].trim()
    for (const k of numberFields) body[k] = v[k]
    for (const k of boolFields) body[k] = v[k]
    if (v.mail_password) body.mail_password = v.mail_password
    const saved = await updateConfig(body)
    qc.setQueryData(adminKeys.config, saved)
    notifications.show({ color: 'green', message: t('config.saved') })
  })

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('config.title')}
      </Title>
      <ErrorBanner error={config.error} />
      <FormCard onSubmit={submit} error={error} testId="config-form">
        <Title order={2} size="h4">
          {t('config.general')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('config.application_title')}
            {...form.getInputProps('application_title')}
          />
          <TextInput label={t('config.base_url')} {...form.getInputProps('base_url')} />
          <NumberInput
            label={t('config.posts_per_page')}
            min={10}
            max={200}
            {...form.getInputProps('posts_per_page')}
          />
          <NumberInput
            label={t('config.csv_dump_limit')}
            min={1}
            {...form.getInputProps('csv_dump_limit')}
          />
          <TextInput
            label={t('config.allowed_extensions')}
            {...form.getInputProps('allowed_extensions')}
          />
        </SimpleGrid>
        <Checkbox
          label={t('config.change_category')}
          {...form.getInputProps('change_category', { type: 'checkbox' })}
        />
        <Checkbox
          label={t('config.change_category_only_admin_or_super_user')}
          {...form.getInputProps('change_category_only_admin_or_super_user', {
            type: 'checkbox',
          })}
        />
        <Title order={2} size="h4">
          {t('config.mail')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('config.mail_server')} {...form.getInputProps('mail_server')} />
          <NumberInput
            label={t('config.mail_port')}
            min={1}
            max={65535}
            {...form.getInputProps('mail_port')}
          />
          <TextInput label={t('config.mail_username')} {...form.getInputProps('mail_username')} />
          <PasswordInput
            label={t('config.mail_password')}
            description={loaded?.mail_password_set ? t('config.passwordKept') : undefined}
            autoComplete="new-password"
            {...form.getInputProps('mail_password')}
          />
          <TextInput
            label={t('config.mail_default_sender')}
            {...form.getInputProps('mail_default_sender')}
          />
          <NumberInput
            label={t('config.mail_max_emails')}
            min={1}
            {...form.getInputProps('mail_max_emails')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {mailSwitches.map((k) => (
            <Checkbox
              key={k}
              label={t(`config.${k}`)}
              {...form.getInputProps(k, { type: 'checkbox' })}
            />
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="config-save">
            {t('common.save')}
          </Button>
        </Group>
      </FormCard>
      <TestMail />
    </Stack>
  )
}

function TestMail() {
  const { t } = useTranslation()
  const [email, setEmail] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (!/^\S+@\S+\.\S+$/.test(email.trim())) {
            setError(t('validation.email'))
            return
          }
          setBusy(true)
          setError(null)
          sendTestEmail(email.trim())
            .then(() =>
              notifications.show({ color: 'green', message: t('config.testSent', { email }) }),
            )
            .catch((err: unknown) =>
              setError(
                fieldErrors(err, t, ['email_address']).fields.email_address ?? errorMessage(err, t),
              ),
            )
            .finally(() => setBusy(false))
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('config.testEmail')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={error}
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="light" loading={busy}>
            {t('config.sendTest')}
          </Button>
        </Group>
      </form>
    </Paper>
  )
}

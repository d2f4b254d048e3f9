import { useState } from 'react'
import {
  Anchor,
  Button,
  Checkbox,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { fieldErrors } from '../../api/errors'
import { useSession } from '../../app/session'
import { ErrorBanner } from '../../components/ErrorBanner'
import { safeNext } from './api'

export function LoginPage() {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [error, setError] = useState<unknown>(null)
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', password: '', remember: false },
    validate: {
      username: (v) => (v.trim() === '' ? t('validation.required') : null),
      password: (v) => (v === '' ? t('validation.required') : null),
    },
  })

  const submit = form.onSubmit(async (values) => {
    setError(null)
    try {
      await signIn(values)
      void navigate(safeNext(params.get('next')), { replace: true })
    } catch (e) {
      const { fields, rest } = fieldErrors(e, t, ['username', 'password'])
      form.setErrors(fields)
      if (rest) setError(e)
    }
  })

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate data-testid="login-form">
      <Stack>
        <Title order={2} size="h3">
          {t('auth.signInTitle')}
        </Title>
        <ErrorBanner error={error} />
        <TextInput
          label={t('auth.username')}
          autoComplete="username"
          required
          data-testid="login-username"
          {...form.getInputProps('username')}
        />
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          required
          data-testid="login-password"
          {...form.getInputProps('password')}
        />
        <Checkbox
          label={t('auth.remember')}
          data-testid="login-remember"
          {...form.getInputProps('remember', { type: 'checkbox' })}
        />
        <Button type="submit" loading={form.submitting} data-testid="login-submit">
          {t('auth.signIn')}
        </Button>
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t('auth.forgot')}
        </Anchor>
      </Stack>
    </Paper>
  )
}

import { useState } from 'react'
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { fieldErrors } from '../../api/errors'
import { ErrorBanner } from '../../components/ErrorBanner'
import { confirmPasswordReset } from './api'
import { passwordProblem } from '../../components/password'

export function ResetPasswordPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [done, setDone] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => {
        const p = passwordProblem(v)
        return p ? t(`validation.${p}`) : null
      },
      confirm: (v, values) => (v === values.password ? null : t('validation.passwordsDiffer')),
    },
  })
  const submit = form.onSubmit(async ({ password }) => {
    setError(null)
    try {
      await confirmPasswordReset(token, password)
      setDone(true)
    } catch (e) {
      const { fields, rest } = fieldErrors(e, t, ['password'])
      form.setErrors(fields)
      if (rest) setError(e)
    }
  })
  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.resetTitle')}
        </Title>
        {!token ? (
          <Alert color="red">{t('auth.resetNoToken')}</Alert>
        ) : done ? (
          <Alert color="green" data-testid="reset-done">
            {t('auth.resetDone')}
          </Alert>
        ) : (
          <>
            <ErrorBanner error={error} />
            <PasswordInput
              label={t('auth.newPassword')}
              autoComplete="new-password"
              required
              data-testid="reset-password"
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label={t('auth.confirmPassword')}
              autoComplete="new-password"
              required
              data-testid="reset-confirm"
              {...form.getInputProps('confirm')}
            />
            <Button type="submit" loading={form.submitting} data-testid="reset-submit">
              {t('auth.setPassword')}
            </Button>
          </>
        )}
        <Anchor component={Link} to="/login" size="sm">
          {t('auth.backToSignIn')}
        </Anchor>
      </Stack>
    </Paper>
  )
}

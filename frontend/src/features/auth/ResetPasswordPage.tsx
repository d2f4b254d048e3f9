import { useState } from 'react'
import { Alert, Button, PasswordInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { ErrorBanner } from '../../components/ErrorBanner'
import { passwordProblem } from '../../components/password'
import { useApiSubmit } from '../../components/useApiSubmit'
import { confirmPasswordReset } from './api'
import { AuthForm } from './AuthForm'

export function ResetPasswordPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [done, setDone] = useState(false)
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
  const { submit, error } = useApiSubmit(form, ['password'], async ({ password }) => {
    await confirmPasswordReset(token, password)
    setDone(true)
  })
  return (
    <AuthForm
      title={t('auth.resetTitle')}
      onSubmit={submit}
      link={{ to: '/login', label: t('auth.backToSignIn') }}
    >
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
    </AuthForm>
  )
}

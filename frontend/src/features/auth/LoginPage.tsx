import { Button, Checkbox, PasswordInput, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { useSession } from '../../app/session'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useApiSubmit } from '../../components/useApiSubmit'
import { safeNext } from './api'
import { AuthForm } from './AuthForm'

export function LoginPage() {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', password: '', remember: false },
    validate: {
      username: (v) => (v.trim() === '' ? t('validation.required') : null),
      password: (v) => (v === '' ? t('validation.required') : null),
    },
  })

  const { submit, error } = useApiSubmit(form, ['username', 'password'], async (values) => {
    await signIn(values)
    void navigate(safeNext(params.get('next')), { replace: true })
  })

  return (
    <AuthForm
      title={t('auth.signInTitle')}
      onSubmit={submit}
      testId="login-form"
      link={{ to: '/forgot-password', label: t('auth.forgot') }}
    >
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
    </AuthForm>
  )
}

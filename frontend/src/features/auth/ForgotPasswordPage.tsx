import { useState } from 'react'
import { Alert, Button, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useApiSubmit } from '../../components/useApiSubmit'
import { requestPasswordReset } from './api'
import { AuthForm } from './AuthForm'

/**
 * Asks for a reset link by e-mail. The answer never says whether the
 * address has an account (the original's reset was open to abuse, §8.1 S5).
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation()
  const [sent, setSent] = useState(false)
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('validation.email')) },
  })
  const { submit, error } = useApiSubmit(form, ['email'], async ({ email }) => {
    await requestPasswordReset(email.trim())
    setSent(true)
  })
  return (
    <AuthForm
      title={t('auth.forgotTitle')}
      onSubmit={submit}
      link={{ to: '/login', label: t('auth.backToSignIn') }}
    >
      {sent ? (
        <Alert color="green" data-testid="reset-sent">
          {t('auth.resetSent')}
        </Alert>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {t('auth.forgotText')}
          </Text>
          <ErrorBanner error={error} />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            required
            data-testid="forgot-email"
            {...form.getInputProps('email')}
          />
          <Button type="submit" loading={form.submitting} data-testid="forgot-submit">
            {t('auth.sendLink')}
          </Button>
        </>
      )}
    </AuthForm>
  )
}

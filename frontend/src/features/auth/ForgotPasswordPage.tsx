import { useState } from 'react'
import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { fieldErrors } from '../../api/errors'
import { ErrorBanner } from '../../components/ErrorBanner'
import { requestPasswordReset } from './api'

/**
 * Asks for a reset link by e-mail. The answer never says whether the
 * address has an account (the original's reset was open to abuse, §8.1 S5).
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation()
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('validation.email')) },
  })
  const submit = form.onSubmit(async ({ email }) => {
    setError(null)
    try {
      await requestPasswordReset(email.trim())
      setSent(true)
    } catch (e) {
      const { fields, rest } = fieldErrors(e, t, ['email'])
      form.setErrors(fields)
      if (rest) setError(e)
    }
  })
  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.forgotTitle')}
        </Title>
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
        <Anchor component={Link} to="/login" size="sm">
          {t('auth.backToSignIn')}
        </Anchor>
      </Stack>
    </Paper>
  )
}

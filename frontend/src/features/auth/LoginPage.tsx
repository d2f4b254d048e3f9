import { useRef, useState, type SubmitEventHandler } from 'react'
import { Button, Checkbox, PasswordInput, TextInput } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { fieldErrors } from '../../api/errors'
import { useSession } from '../../app/session'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useSingleFlight } from '../../components/useSingleFlight'
import { safeNext } from './api'
import { AuthForm } from './AuthForm'

type Field = 'username' | 'password'
const fields: readonly Field[] = ['username', 'password']

/**
 * The sign-in form. Plain state rather than @mantine/form (as useApiSubmit
 * forms use): the page is on the way to the first screen after sign-in, and
 * the form library was ~6.6 KB of its JavaScript for three fields.
 */
export function LoginPage() {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [values, setValues] = useState({ username: '', password: '', remember: false })
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [error, setError] = useState<unknown>(null)
  const { run, busy } = useSingleFlight()
  const usernameRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)

  // Messages shown, focus to the first field to fix (after the re-render).
  const showErrors = (errs: Partial<Record<Field, string>>) => {
    setErrors(errs)
    const first = fields.find((f) => errs[f])
    if (!first) return
    requestAnimationFrame(() => (first === 'username' ? usernameRef : passwordRef).current?.focus())
  }

  const submit: SubmitEventHandler<HTMLFormElement> = (e) => {
    e.preventDefault()
    const required: Partial<Record<Field, string>> = {}
    if (values.username.trim() === '') required.username = t('validation.required')
    if (values.password === '') required.password = t('validation.required')
    if (Object.keys(required).length > 0) return showErrors(required)
    void run(async () => {
      setError(null)
      setErrors({})
      try {
        await signIn(values)
        void navigate(safeNext(params.get('next')), { replace: true })
      } catch (err) {
        const r = fieldErrors(err, t, fields)
        showErrors(r.fields)
        if (r.rest) setError(err)
      }
    })
  }

  const field = (name: Field) => ({
    value: values[name],
    error: errors[name],
    onChange: (e: { currentTarget: HTMLInputElement }) => {
      const v = e.currentTarget.value
      setValues((old) => ({ ...old, [name]: v }))
      setErrors((old) => ({ ...old, [name]: undefined }))
    },
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
        ref={usernameRef}
        {...field('username')}
      />
      <PasswordInput
        label={t('auth.password')}
        autoComplete="current-password"
        required
        data-testid="login-password"
        ref={passwordRef}
        {...field('password')}
      />
      <Checkbox
        label={t('auth.remember')}
        data-testid="login-remember"
        checked={values.remember}
        onChange={(e) => {
          const remember = e.currentTarget.checked
          setValues((old) => ({ ...old, remember }))
        }}
      />
      <Button type="submit" loading={busy} data-testid="login-submit">
        {t('auth.signIn')}
      </Button>
    </AuthForm>
  )
}

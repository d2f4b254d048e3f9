import { useState } from 'react'
import type { UseFormReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { fieldErrors, isApiError } from '../api/errors'
import { newIdempotencyKey } from '../api/idempotency'
import { focusFirstError } from './focus'
import { useSingleFlight } from './useSingleFlight'

/**
 * The submit handler of a form that saves through the API. The API's errors
 * for the fields the form shows go under those fields; any other error is
 * returned as `error`, for the form's ErrorBanner. Focus goes to the first
 * field in error.
 *
 * One submit runs at a time (a double click sends once), and each attempt
 * gets an idempotency key for the creates it makes; an attempt that got no
 * answer (a network error) keeps its key while the values are unchanged, so
 * sending again cannot create a second record if the first did arrive.
 *
 * @param fields the API's names of the fields the form shows
 * @param rename API field names the form calls otherwise (API name → form name)
 * @param extra what the form sends besides its values (for the key's reuse)
 */
export function useApiSubmit<V>(
  form: UseFormReturnType<V>,
  fields: readonly string[],
  save: (values: V, idempotencyKey: string) => Promise<unknown>,
  rename: Record<string, string> = {},
  extra?: unknown,
) {
  const { t } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const { run, busy } = useSingleFlight()
  const [unanswered, setUnanswered] = useState<{ key: string; sig: string } | null>(null)
  const submit = form.onSubmit(
    (values) =>
      run(async () => {
        setError(null)
        const sig = JSON.stringify([values, extra])
        const key = unanswered?.sig === sig ? unanswered.key : newIdempotencyKey()
        setUnanswered(null)
        try {
          await save(values, key)
        } catch (e) {
          if (isApiError(e) && e.status === 0) setUnanswered({ key, sig })
          const r = fieldErrors(e, t, fields)
          const errs = Object.fromEntries(
            Object.entries(r.fields).map(([k, m]) => [rename[k] ?? k, m]),
          )
          form.setErrors(errs)
          focusFirstError(form, errs)
          if (r.rest) setError(e)
        }
      }),
    (errors) => focusFirstError(form, errors),
  )
  return { submit, error, busy }
}

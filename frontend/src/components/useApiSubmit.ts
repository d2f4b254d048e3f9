import { useState } from 'react'
import type { UseFormReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { fieldErrors } from '../api/errors'

/**
 * The submit handler of a form that saves through the API. The API's errors
 * for the fields the form shows go under those fields; any other error is
 * returned as `error`, for the form's ErrorBanner.
 *
 * @param fields the API's names of the fields the form shows
 * @param rename API field names the form calls otherwise (API name → form name)
 */
export function useApiSubmit<V>(
  form: UseFormReturnType<V>,
  fields: readonly string[],
  save: (values: V) => Promise<unknown>,
  rename: Record<string, string> = {},
) {
  const { t } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const submit = form.onSubmit(async (values) => {
    setError(null)
    try {
      await save(values)
    } catch (e) {
      const r = fieldErrors(e, t, fields)
      form.setErrors(
        Object.fromEntries(Object.entries(r.fields).map(([k, m]) => [rename[k] ?? k, m])),
      )
      if (r.rest) setError(e)
    }
  })
  return { submit, error }
}

import { useState } from 'react'
import { Button, Group, TextInput } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { fieldErrors, errorMessage } from '../api/errors'
import { newIdempotencyKey } from '../api/idempotency'
import { useSingleFlight } from './useSingleFlight'

interface Props {
  label: string
  /** The request's field, as the API names it in its errors. */
  field: string
  /** The form's own check before sending: a message, or null. */
  check: (name: string) => string | null
  initial?: string
  submitLabel: string
  /** Saves the name; key is the attempt's idempotency key, for a create. */
  onSubmit: (name: string, key: string) => Promise<unknown>
  testId?: string
  onCancel?: () => void
}

/** One name field (departments, categories, groups) with the server's error shown under it. */
export function NameForm({
  label,
  field,
  check,
  initial = '',
  submitLabel,
  onSubmit,
  testId,
  onCancel,
}: Props) {
  const { t } = useTranslation()
  const [value, setValue] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const { run, busy } = useSingleFlight()
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        const problem = check(value)
        if (problem) {
          setError(problem)
          return
        }
        void run(() =>
          onSubmit(value.trim(), newIdempotencyKey())
            .then(() => {
              setValue(initial)
              setError(null)
            })
            .catch((err: unknown) => {
              const { fields } = fieldErrors(err, t, [field])
              setError(fields[field] ?? errorMessage(err, t))
            }),
        )
      }}
    >
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <TextInput
          aria-label={label}
          placeholder={label}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
          size="xs"
          style={{ flex: 1 }}
          data-testid={testId}
        />
        <Button
          type="submit"
          size="xs"
          loading={busy}
          data-testid={testId ? `${testId}-submit` : undefined}
        >
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        ) : null}
      </Group>
    </form>
  )
}

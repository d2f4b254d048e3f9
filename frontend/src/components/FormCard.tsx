import type { KeyboardEvent, ReactNode, SubmitEventHandler } from 'react'
import { Paper, Stack } from '@mantine/core'
import { ErrorBanner } from './ErrorBanner'

interface Props {
  onSubmit: SubmitEventHandler<HTMLFormElement>
  /** The error no field shows (useApiSubmit's `error`). */
  error: unknown
  /** Shown above the error. */
  title?: ReactNode
  /** Shown under the title (a restored draft). */
  notice?: ReactNode
  testId: string
  children: ReactNode
}

/**
 * Ctrl+Enter (Cmd+Enter on a Mac) in any field sends the form, as its main
 * button would: the one marked data-default-submit, else the last submit
 * button (a click, so that the button's own choice, e.g. "reply" rather than
 * "reply and close", applies).
 */
export function sendOnModEnter(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return
  const form = e.currentTarget
  const main =
    form.querySelector<HTMLButtonElement>('button[data-default-submit]') ??
    Array.from(form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')).pop()
  e.preventDefault()
  if (main && !main.disabled) main.click()
}

/** A form on a page: a bordered card, the API's error at the top, then the fields. */
export function FormCard({ onSubmit, error, title, notice, testId, children }: Props) {
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={onSubmit}
      onKeyDown={sendOnModEnter}
      noValidate
      data-testid={testId}
    >
      <Stack>
        {title}
        {notice}
        <ErrorBanner error={error} />
        {children}
      </Stack>
    </Paper>
  )
}

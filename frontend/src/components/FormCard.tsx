import type { ReactNode, SubmitEventHandler } from 'react'
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

/** A form on a page: a bordered card, the API's error at the top, then the fields. */
export function FormCard({ onSubmit, error, title, notice, testId, children }: Props) {
  return (
    <Paper withBorder p="md" component="form" onSubmit={onSubmit} noValidate data-testid={testId}>
      <Stack>
        {title}
        {notice}
        <ErrorBanner error={error} />
        {children}
      </Stack>
    </Paper>
  )
}

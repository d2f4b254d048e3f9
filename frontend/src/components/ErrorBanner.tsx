import { Alert } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../api/errors'

/** Shows an API (or any) error as one sentence in the user's language. */
export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation()
  if (!error) return null
  return (
    <Alert color="red" title={title ?? t('errors.title')} role="alert" data-testid="error-banner">
      {errorMessage(error, t)}
    </Alert>
  )
}

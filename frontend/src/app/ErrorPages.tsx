import { Button, Stack, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link, isRouteErrorResponse, useRouteError } from 'react-router'

function ErrorPage({
  code,
  title,
  text,
  testId,
}: {
  code: string
  title: string
  text: string
  testId: string
}) {
  const { t } = useTranslation()
  return (
    <Stack align="center" py="xl" gap="sm" data-testid={testId}>
      <Text fz={64} fw={800} c="dimmed" lh={1}>
        {code}
      </Text>
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed" ta="center">
        {text}
      </Text>
      <Button component={Link} to="/" variant="light">
        {t('errors.backHome')}
      </Button>
    </Stack>
  )
}

export function ForbiddenPage() {
  const { t } = useTranslation()
  return (
    <ErrorPage
      code="403"
      title={t('errors.forbiddenTitle')}
      text={t('errors.forbiddenText')}
      testId="page-403"
    />
  )
}

export function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <ErrorPage
      code="404"
      title={t('errors.notFoundTitle')}
      text={t('errors.notFoundText')}
      testId="page-404"
    />
  )
}

/** The router's error element: a failed lazy chunk or a render error. */
export function RouteErrorPage() {
  const { t } = useTranslation()
  const err = useRouteError()
  if (isRouteErrorResponse(err) && err.status === 404) return <NotFoundPage />
  return (
    <ErrorPage
      code="!"
      title={t('errors.crashTitle')}
      text={t('errors.crashText')}
      testId="page-crash"
    />
  )
}

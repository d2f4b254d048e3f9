import { Button, Stack, Text, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link, isRouteErrorResponse, useRouteError } from 'react-router'

/** The error pages: the big code and the test id of each. */
const pages = {
  forbidden: { code: '403', testId: 'page-403' },
  notFound: { code: '404', testId: 'page-404' },
  crash: { code: '!', testId: 'page-crash' },
} as const

type Kind = keyof typeof pages

function ErrorPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation()
  // Literal keys, so that the i18n test sees them.
  const [title, text] = {
    forbidden: [t('errors.forbiddenTitle'), t('errors.forbiddenText')],
    notFound: [t('errors.notFoundTitle'), t('errors.notFoundText')],
    crash: [t('errors.crashTitle'), t('errors.crashText')],
  }[kind]
  return (
    <Stack align="center" py="xl" gap="sm" data-testid={pages[kind].testId}>
      <Text fz={64} fw={800} c="dimmed" lh={1}>
        {pages[kind].code}
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
  return <ErrorPage kind="forbidden" />
}

export function NotFoundPage() {
  return <ErrorPage kind="notFound" />
}

/** The router's error element: a failed lazy chunk or a render error. */
export function RouteErrorPage() {
  const err = useRouteError()
  if (isRouteErrorResponse(err) && err.status === 404) return <NotFoundPage />
  return <ErrorPage kind="crash" />
}

import type { SubmitEventHandler, ReactNode } from 'react'
import { Anchor, Paper, Stack, Title } from '@mantine/core'
import { Link } from 'react-router'

interface Props {
  title: string
  onSubmit: SubmitEventHandler<HTMLFormElement>
  testId?: string
  /** The link under the form (to another public page). */
  link: { to: string; label: string }
  children: ReactNode
}

/** The card of the public pages' forms: sign in, forgotten and reset password. */
export function AuthForm({ title, onSubmit, testId, link, children }: Props) {
  return (
    <Paper withBorder p="lg" component="form" onSubmit={onSubmit} noValidate data-testid={testId}>
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
        <Anchor component={Link} to={link.to} size="sm">
          {link.label}
        </Anchor>
      </Stack>
    </Paper>
  )
}

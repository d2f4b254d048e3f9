import { Center, Container, Group, Stack, Title } from '@mantine/core'
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { LanguageSwitch } from './LanguageSwitch'
import { usePageHeading } from './usePageHeading'

/** Sign-in, forgotten and reset password pages. */
export function PublicLayout() {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  // The form's heading (the h1 is the application's name).
  usePageHeading(ref, 'h2')
  return (
    <Container size={420} py="xl" ref={ref}>
      <Stack>
        <Group justify="space-between">
          <Title order={1} size="h2">
            {t('app.title')}
          </Title>
          <LanguageSwitch />
        </Group>
        <Outlet />
      </Stack>
    </Container>
  )
}

export function Centered({ children }: { children: React.ReactNode }) {
  return <Center>{children}</Center>
}

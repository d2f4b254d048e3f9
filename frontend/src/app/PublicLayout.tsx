import { Center, Container, Group, Stack, Title } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { LanguageSwitch } from './LanguageSwitch'

/** Sign-in, forgotten and reset password pages. */
export function PublicLayout() {
  const { t } = useTranslation()
  return (
    <Container size={420} py="xl">
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

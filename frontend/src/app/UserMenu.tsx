/** The header's account menu: settings, profile, sign out. */
import { Menu, Text, UnstyledButton } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useSession, useUser } from './session'

export default function UserMenu({ defaultOpened }: { defaultOpened: boolean }) {
  const { t } = useTranslation()
  const user = useUser()
  const { signOut } = useSession()
  const navigate = useNavigate()
  return (
    <Menu position="bottom-end" withinPortal defaultOpened={defaultOpened}>
      <Menu.Target>
        <UnstyledButton
          data-testid="user-menu"
          // The visible name starts the accessible one (WCAG 2.5.3).
          aria-label={`${user.name} – ${t('nav.account')}`}
        >
          <Text size="sm" fw={500} truncate maw={140}>
            {user.name}
          </Text>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={Link} to="/settings" data-testid="menu-settings">
          {t('nav.settings')}
        </Menu.Item>
        <Menu.Item component={Link} to={`/users/${user.id}`}>
          {t('nav.profile')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          data-testid="sign-out"
          onClick={() => {
            void signOut().finally(() => navigate('/login'))
          }}
        >
          {t('nav.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}

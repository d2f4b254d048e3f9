/**
 * The header's bell: how many notifications are unread. The panel listing
 * them (Mantine's popover and floating-ui, ~20 KB gzipped) is loaded on the
 * first click and replaces this button, opened: the bell is on every page's
 * first screen, held to the size budget (scripts/size-budget.mjs).
 */
import { lazy, Suspense, useState } from 'react'
import { ActionIcon, Indicator } from '@mantine/core'
import { IconBell } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { myKeys, unreadNotificationCount } from './api'

const loadPanel = () => import('./NotificationPanel')
const NotificationPanel = lazy(loadPanel)

/** The unread count, shared by the bell and its panel. */
export function useUnreadCount() {
  return useQuery({
    queryKey: myKeys.unreadCount,
    queryFn: unreadNotificationCount,
    refetchInterval: 60_000,
  })
}

export function NotificationBell() {
  const { t } = useTranslation()
  const [clicked, setClicked] = useState(false)
  const unread = useUnreadCount().data ?? 0
  const bell = (
    <Indicator
      label={unread > 99 ? '99+' : unread}
      size={16}
      disabled={unread === 0}
      color="red.8"
      offset={4}
    >
      <ActionIcon
        variant="subtle"
        color="gray"
        size="lg"
        aria-label={t('notifications.bell', { count: unread })}
        aria-expanded={false}
        data-testid="notification-bell"
        data-unread={unread}
        onPointerEnter={() => void loadPanel()}
        onFocus={() => void loadPanel()}
        onClick={() => setClicked(true)}
      >
        <IconBell size={20} aria-hidden />
      </ActionIcon>
    </Indicator>
  )
  if (!clicked) return bell
  return (
    <Suspense fallback={bell}>
      <NotificationPanel />
    </Suspense>
  )
}

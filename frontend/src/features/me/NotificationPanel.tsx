/**
 * The bell's panel: the latest ten notifications ("assigned to you", "reply
 * on a ticket you follow"). Opening one marks it read and goes to its ticket
 * (at the reply, for a reply). Loaded on the bell's first click (see
 * NotificationBell).
 */
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Indicator,
  Popover,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconBell } from '@tabler/icons-react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { formatDateTime } from '../../i18n/format'
import {
  type Notification,
  listNotifications,
  myKeys,
  readAllNotifications,
  readNotification,
} from './api'
import { useUnreadCount } from './NotificationBell'

export default function NotificationPanel() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [opened, { close, toggle }] = useDisclosure(true)
  const count = useUnreadCount()
  const list = useQuery({
    queryKey: myKeys.notifications,
    queryFn: () => listNotifications(10),
    enabled: opened,
  })
  const unread = count.data ?? 0
  const refresh = () => qc.invalidateQueries({ queryKey: ['my', 'notifications'] })

  const open = (n: Notification) => {
    close()
    if (!n.read) void readNotification(n.id).finally(() => void refresh())
    void navigate(
      n.post_id ? `/tickets/${n.ticket_id}?post=${n.post_id}` : `/tickets/${n.ticket_id}`,
    )
  }
  const label = t('notifications.bell', { count: unread })

  return (
    <Popover
      opened={opened}
      onChange={(o) => (o ? undefined : close())}
      position="bottom-end"
      width={340}
      withinPortal
      shadow="md"
    >
      {/* The target is the button itself: Popover.Target gives it aria-expanded. */}
      <Indicator
        label={unread > 99 ? '99+' : unread}
        size={16}
        disabled={unread === 0}
        color="red.8"
        offset={4}
      >
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={label}
            data-testid="notification-bell"
            data-unread={unread}
            onClick={toggle}
          >
            <IconBell size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p="xs" data-testid="notification-panel">
        <Group justify="space-between" mb="xs" wrap="nowrap">
          <Text fw={700} size="sm" component="h2">
            {t('notifications.title')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            data-testid="notifications-read-all"
            onClick={() => void readAllNotifications().finally(() => void refresh())}
          >
            {t('notifications.readAll')}
          </Button>
        </Group>
        <Stack gap={4}>
          {list.data?.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('notifications.none')}
            </Text>
          ) : null}
          {(list.data?.items ?? []).map((n) => (
            <UnstyledButton
              key={n.id}
              onClick={() => open(n)}
              data-testid="notification-item"
              data-read={n.read}
              p={6}
              style={{ borderRadius: 4 }}
            >
              <Text size="sm" fw={n.read ? 400 : 700} lineClamp={2}>
                {t(n.kind === 'assigned' ? 'notifications.assigned' : 'notifications.reply', {
                  name: n.actor?.name ?? '?',
                  title: n.ticket_title,
                })}
              </Text>
              <Group gap={6}>
                {!n.read ? (
                  <Badge size="xs" color="blue.8" variant="filled">
                    {t('notifications.new')}
                  </Badge>
                ) : null}
                <Text size="xs" c="gray.7">
                  {formatDateTime(n.created_at)}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}

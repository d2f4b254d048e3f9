import { useState } from 'react'
import { ActionIcon, Button, Group, Paper, Pill, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../api/errors'
import { newIdempotencyKey } from '../../api/idempotency'
import { useSingleFlight } from '../../components/useSingleFlight'
import { UserPicker, type PickedUser } from '../../components/UserPicker'
import { listSubscribers, subscribe, ticketKeys, unsubscribe } from './api'
import type { TicketDetail } from '../../api/types'
import { useInvalidateTicket } from './useTicket'

/**
 * Who gets this ticket's notifications. The ticket's can says whether the
 * user may subscribe someone (subscribe_others) or themself (subscribe);
 * each subscription's can whether it may be removed.
 */
export function Subscribers({
  ticketId,
  can,
  userId,
}: {
  ticketId: number
  can: Pick<TicketDetail['can'], 'subscribe' | 'subscribe_others'>
  userId: number
}) {
  const { t } = useTranslation()
  const invalidate = useInvalidateTicket(ticketId)
  const subs = useQuery({
    queryKey: ticketKeys.subscribers(ticketId),
    queryFn: () => listSubscribers(ticketId),
  })
  const [picked, setPicked] = useState<PickedUser | null>(null)
  const [pickerKey, setPickerKey] = useState(0)
  const fail = (e: unknown) => notifications.show({ color: 'red', message: errorMessage(e, t) })
  const { run, busy } = useSingleFlight()
  return (
    <Paper withBorder p="md" data-testid="subscribers">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('subscribers.title')}
        </Text>
        <Group gap={6}>
          {(subs.data ?? []).length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('subscribers.none')}
            </Text>
          ) : null}
          {(subs.data ?? []).map((s) => (
            <Pill key={s.id} data-testid="subscriber">
              <Group gap={4} wrap="nowrap">
                {s.user_def}
                {s.can.remove ? (
                  <ActionIcon
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('subscribers.remove', { name: s.user_def })}
                    disabled={busy}
                    onClick={() => {
                      void run(() => unsubscribe(s.id).then(invalidate).catch(fail))
                    }}
                  >
                    {'×'}
                  </ActionIcon>
                ) : null}
              </Group>
            </Pill>
          ))}
        </Group>
        {can.subscribe_others ? (
          <Group align="flex-end" gap="xs" wrap="wrap">
            <UserPicker
              key={pickerKey}
              label={t('subscribers.add')}
              onPick={setPicked}
              testId="subscribe-user"
            />
            <Button
              size="sm"
              variant="light"
              disabled={!picked}
              loading={busy}
              data-testid="subscribe-submit"
              onClick={() => {
                if (!picked) return
                void run(() =>
                  subscribe(ticketId, picked.id, newIdempotencyKey())
                    .then(() => {
                      setPicked(null)
                      setPickerKey((k) => k + 1)
                      invalidate()
                    })
                    .catch(fail),
                )
              }}
            >
              {t('subscribers.subscribe')}
            </Button>
          </Group>
        ) : can.subscribe && !(subs.data ?? []).some((s) => s.user_id === userId) ? (
          <Button
            size="sm"
            variant="light"
            data-testid="subscribe-me"
            loading={busy}
            onClick={() => {
              void run(() =>
                subscribe(ticketId, userId, newIdempotencyKey()).then(invalidate).catch(fail),
              )
            }}
          >
            {t('subscribers.subscribeMe')}
          </Button>
        ) : null}
      </Stack>
    </Paper>
  )
}

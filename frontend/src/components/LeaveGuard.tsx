import { useEffect, useRef } from 'react'
import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useBlocker } from 'react-router'

/**
 * Warns before leaving a page with unsent text: the browser's own prompt on
 * reload or close (beforeunload), and a dialog for a link inside the app.
 * Changing only the query (a page of replies) is not leaving; neither is
 * being sent to sign in when the session has ended (the draft is kept).
 * Call release() just before navigating away after sending.
 */
export function useLeaveGuard(dirty: boolean) {
  const dirtyRef = useRef(dirty)
  const released = useRef(false)
  useEffect(() => {
    dirtyRef.current = dirty
    if (dirty) released.current = false
  }, [dirty])

  useEffect(() => {
    if (!dirty) return
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (released.current) return
      e.preventDefault()
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current &&
      !released.current &&
      currentLocation.pathname !== nextLocation.pathname &&
      nextLocation.pathname !== '/login',
  )
  return {
    blocker,
    release: () => {
      released.current = true
    },
  }
}

/** The dialog shown while a navigation waits on the user's answer. */
export function LeaveDialog({ blocker }: { blocker: ReturnType<typeof useBlocker> }) {
  const { t } = useTranslation()
  const open = blocker.state === 'blocked'
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={open}
      onClose={() => blocker.reset?.()}
      title={t('drafts.leaveTitle')}
      centered
    >
      <Stack data-testid="leave-dialog">
        <Text>{t('drafts.leaveMessage')}</Text>
        <Group justify="flex-end">
          <Button variant="default" data-testid="leave-stay" onClick={() => blocker.reset?.()}>
            {t('drafts.stay')}
          </Button>
          <Button color="red" data-testid="leave-confirm" onClick={() => blocker.proceed?.()}>
            {t('drafts.leave')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

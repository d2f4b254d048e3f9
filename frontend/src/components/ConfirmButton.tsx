import { useState, type ReactNode } from 'react'
import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { ErrorBanner } from './ErrorBanner'
import { useSingleFlight } from './useSingleFlight'

interface Props extends ButtonProps {
  children: ReactNode
  title: string
  message: string
  confirmLabel: string
  /** Why the action cannot be done now: shown instead of the question, with no confirm button. */
  blocked?: string
  onConfirm: () => Promise<unknown>
  testId?: string
}

/** A button that asks before it acts (deletions); the action's error shows in the dialog. */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  blocked,
  onConfirm,
  testId,
  ...button
}: Props) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const { run, busy } = useSingleFlight()
  const [error, setError] = useState<unknown>(null)
  return (
    <>
      <Button {...button} data-testid={testId} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={title}
        centered
      >
        <Stack>
          <Text data-testid={testId ? `${testId}-message` : undefined}>{blocked ?? message}</Text>
          <ErrorBanner error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {blocked ? t('common.close') : t('common.cancel')}
            </Button>
            {blocked ? null : (
              <Button
                color="red"
                loading={busy}
                data-testid={testId ? `${testId}-confirm` : undefined}
                onClick={() => {
                  void run(() => {
                    setError(null)
                    return onConfirm()
                      .then(() => setOpen(false))
                      .catch((e: unknown) => setError(e))
                  })
                }}
              >
                {confirmLabel}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  )
}

import { Button, Group, type GroupProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { ConfirmButton } from './ConfirmButton'

interface Props extends Pick<GroupProps, 'justify' | 'wrap'> {
  /** The first button: Rename or Edit. */
  editLabel: string
  onEdit: () => void
  editTestId?: string
  /** The question Delete asks first. */
  deleteTitle: string
  deleteMessage: string
  /** Why the row cannot be deleted now: said instead of asking. */
  deleteBlocked?: string
  /** Left out when the row may not be deleted: no Delete button. */
  onDelete?: () => Promise<unknown>
  deleteTestId?: string
}

/** A list row's small buttons: rename or edit, and delete after a confirmation. */
export function RowActions({
  editLabel,
  onEdit,
  editTestId,
  deleteTitle,
  deleteMessage,
  deleteBlocked,
  onDelete,
  deleteTestId,
  ...group
}: Props) {
  const { t } = useTranslation()
  return (
    <Group gap={4} {...group}>
      <Button size="compact-xs" variant="subtle" onClick={onEdit} data-testid={editTestId}>
        {editLabel}
      </Button>
      {onDelete ? (
        <ConfirmButton
          size="compact-xs"
          variant="subtle"
          color="red"
          testId={deleteTestId}
          title={deleteTitle}
          message={deleteMessage}
          blocked={deleteBlocked}
          confirmLabel={t('common.delete')}
          onConfirm={onDelete}
        >
          {t('common.delete')}
        </ConfirmButton>
      ) : null}
    </Group>
  )
}

/**
 * The "?" overlay: every shortcut and what it does. Its own chunk, loaded on
 * first use: a modal is not part of any page's first screen.
 */
import { Kbd, Modal, Table } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { shortcutKeys } from './shortcuts'

export default function ShortcutHelp({
  opened,
  onClose,
}: {
  opened: boolean
  onClose: () => void
}) {
  const { t } = useTranslation()
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={onClose}
      title={t('shortcuts.title')}
      centered
    >
      <Table data-testid="shortcut-help">
        <Table.Tbody>
          {shortcutKeys.map(([key, what]) => (
            <Table.Tr key={key}>
              <Table.Td>
                <Kbd>{key}</Kbd>
              </Table.Td>
              <Table.Td>{t(`shortcuts.${what}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  )
}

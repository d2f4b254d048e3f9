/**
 * Saved views (issue 13 §4d): a named set of the list's filters, the
 * user's own or shared by an administrator. The list page's "Views" button
 * opens them, saves the filters shown as a new one and deletes those the
 * user may; the side bar links to them.
 */
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Popover,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconTrash } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'react-router'
import { fieldErrors } from '../../api/errors'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useUser } from '../../app/session'
import { createView, deleteView, useSavedViews, viewKeys } from './views'

/** The list's current filters as a view's query: the URL's, without its page. */
function currentQuery(search: string): string {
  const p = new URLSearchParams(search)
  p.delete('page')
  return p.toString()
}

export function SavedViewsMenu() {
  const { t } = useTranslation()
  const user = useUser()
  const qc = useQueryClient()
  const { search } = useLocation()
  const views = useSavedViews()
  const [opened, { close, toggle }] = useDisclosure(false)
  const [saving, saveDialog] = useDisclosure(false)
  const [name, setName] = useState('')
  const [shared, setShared] = useState(false)
  const refresh = () => qc.invalidateQueries({ queryKey: viewKeys.all })
  const save = useMutation({
    mutationFn: () => createView({ name, query: currentQuery(search), shared }),
    onSuccess: () => {
      void refresh()
      saveDialog.close()
      setName('')
      setShared(false)
    },
  })
  const remove = useMutation({ mutationFn: deleteView, onSuccess: () => void refresh() })
  const errs = fieldErrors(save.error, t, ['name'])
  const items = views.data?.items ?? []

  return (
    <>
      <Popover
        opened={opened}
        onChange={(o) => (o ? undefined : close())}
        position="bottom-end"
        width={300}
        withinPortal
      >
        <Popover.Target>
          <Button
            size="xs"
            variant="default"
            data-testid="saved-views"
            aria-expanded={opened}
            onClick={toggle}
          >
            {t('views.button')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown p="xs" data-testid="saved-views-panel">
          <Stack gap={4}>
            {items.length === 0 ? (
              <Text size="sm" c="gray.7">
                {t('views.none')}
              </Text>
            ) : null}
            {items.map((v) => (
              <Group
                key={v.id}
                justify="space-between"
                wrap="nowrap"
                gap="xs"
                data-testid="saved-view"
              >
                <Anchor
                  component={Link}
                  to={`/tickets?${v.query}`}
                  size="sm"
                  onClick={close}
                  truncate
                >
                  {v.name}
                </Anchor>
                <Group gap={4} wrap="nowrap">
                  {v.shared ? (
                    <Badge size="xs" variant="light" color="gray.8">
                      {t('views.shared')}
                    </Badge>
                  ) : null}
                  {v.can.edit ? (
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red.8"
                      aria-label={t('views.delete', { name: v.name })}
                      data-testid="saved-view-delete"
                      onClick={() => remove.mutate(v.id)}
                    >
                      <IconTrash size={14} aria-hidden />
                    </ActionIcon>
                  ) : null}
                </Group>
              </Group>
            ))}
            <ErrorBanner error={remove.error} />
            <Button
              size="xs"
              variant="light"
              mt={4}
              data-testid="saved-view-save"
              onClick={() => {
                close()
                saveDialog.open()
              }}
            >
              {t('views.save')}
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <Modal opened={saving} onClose={saveDialog.close} title={t('views.saveTitle')}>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (!save.isPending) save.mutate()
          }}
        >
          <Stack gap="sm">
            <TextInput
              label={t('views.name')}
              data-testid="saved-view-name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errs.fields.name}
              data-autofocus
            />
            {user.can.manage_config ? (
              <Checkbox
                label={t('views.shareWithEveryone')}
                data-testid="saved-view-shared"
                checked={shared}
                onChange={(e) => setShared(e.currentTarget.checked)}
              />
            ) : null}
            {errs.rest ? <ErrorBanner error={save.error} /> : null}
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} data-testid="saved-view-submit">
                {t('views.saveButton')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}

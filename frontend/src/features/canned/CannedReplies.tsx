/**
 * Canned replies (issue 13 §7): a menu beside a reply or ticket text that
 * inserts a snippet at the cursor, and a dialog to write, change and delete
 * one's own (administrators: shared ones too). Its own chunk, loaded with
 * the editor's pages, never on the first screen; the list loads when the
 * menu first opens.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Textarea,
  UnstyledButton,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconPencil, IconTrash } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fieldErrors } from '../../api/errors'
import { useUser } from '../../app/session'
import { ErrorBanner } from '../../components/ErrorBanner'
import {
  cannedKeys,
  createCanned,
  deleteCanned,
  updateCanned,
  useCannedReplies,
  type CannedReply,
} from './api'
import { filterReplies } from './insert'

/** More replies than this and the menu offers a search box. */
export const SEARCH_FROM = 6

interface Props {
  /** Puts the chosen reply's content at the text's cursor. */
  onInsert: (content: string) => void
  testId?: string
}

export default function CannedRepliesMenu({ onInsert, testId = 'canned' }: Props) {
  const { t } = useTranslation()
  const [opened, { close, toggle }] = useDisclosure(false)
  const [managing, manage] = useDisclosure(false)
  const [everOpened, setEverOpened] = useState(false)
  const [query, setQuery] = useState('')
  const replies = useCannedReplies(everOpened || managing)
  const items = replies.data?.items ?? []
  const shown = filterReplies(items, query)

  const choose = (r: CannedReply) => {
    close()
    setQuery('')
    onInsert(r.content)
  }

  return (
    <>
      <Popover
        opened={opened}
        onChange={(o) => (o ? undefined : close())}
        position="bottom-start"
        width={320}
        withinPortal
        trapFocus
        returnFocus={false}
      >
        <Popover.Target>
          <Button
            size="compact-xs"
            variant="default"
            data-testid={`${testId}-button`}
            aria-expanded={opened}
            aria-haspopup="dialog"
            onClick={() => {
              setEverOpened(true)
              toggle()
            }}
          >
            {t('canned.button')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown p="xs" data-testid={`${testId}-menu`} aria-label={t('canned.button')}>
          <Stack gap={4}>
            {items.length > SEARCH_FROM ? (
              <TextInput
                size="xs"
                aria-label={t('canned.search')}
                placeholder={t('canned.search')}
                data-testid={`${testId}-search`}
                value={query}
                onChange={(e) => setQuery(e.currentTarget.value)}
                onKeyDown={(e) => {
                  const first = shown[0]
                  if (e.key === 'Enter' && first) {
                    e.preventDefault()
                    choose(first)
                  }
                }}
                data-autofocus
              />
            ) : null}
            {replies.isPending ? (
              <Text size="sm" c="gray.7">
                {t('common.loading')}
              </Text>
            ) : null}
            <ErrorBanner error={replies.error} />
            {replies.isSuccess && shown.length === 0 ? (
              <Text size="sm" c="gray.7" data-testid={`${testId}-none`}>
                {items.length === 0 ? t('canned.none') : t('canned.noMatch')}
              </Text>
            ) : null}
            <ScrollArea.Autosize mah={260}>
              <Stack gap={2}>
                {shown.map((r) => (
                  <UnstyledButton
                    key={r.id}
                    px={6}
                    py={4}
                    data-testid={`${testId}-item`}
                    onClick={() => choose(r)}
                    style={{ borderRadius: 4 }}
                  >
                    <Group gap={6} wrap="nowrap" justify="space-between">
                      <Text size="sm" fw={500} truncate>
                        {r.title}
                      </Text>
                      {r.shared ? (
                        <Badge size="xs" variant="filled" color="gray.8">
                          {t('canned.shared')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" c="gray.7" lineClamp={1}>
                      {r.content}
                    </Text>
                  </UnstyledButton>
                ))}
              </Stack>
            </ScrollArea.Autosize>
            <Button
              size="xs"
              variant="light"
              mt={4}
              data-testid={`${testId}-manage`}
              onClick={() => {
                close()
                manage.open()
              }}
            >
              {t('canned.manage')}
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <Modal
        opened={managing}
        onClose={manage.close}
        title={t('canned.manageTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <ManageCanned items={items} testId={testId} />
      </Modal>
    </>
  )
}

function ManageCanned({ items, testId }: { items: CannedReply[]; testId: string }) {
  const { t } = useTranslation()
  const user = useUser()
  const qc = useQueryClient()
  const [editing, setEditing] = useState<CannedReply | null>(null)
  const [title, setTitle] = useState('')
  const [content, setContent] = useState('')
  const [shared, setShared] = useState(false)
  const refresh = () => qc.invalidateQueries({ queryKey: cannedKeys.all })
  const reset = () => {
    setEditing(null)
    setTitle('')
    setContent('')
    setShared(false)
  }
  const save = useMutation({
    mutationFn: () =>
      editing
        ? updateCanned(editing.id, { title, content, shared })
        : createCanned({ title, content, shared }),
    onSuccess: () => {
      void refresh()
      reset()
    },
  })
  const remove = useMutation({ mutationFn: deleteCanned, onSuccess: () => void refresh() })
  const errs = fieldErrors(save.error, t, ['title', 'content'])
  const mine = items.filter((r) => r.can.edit)

  return (
    <Stack gap="sm">
      {mine.length === 0 ? (
        <Text size="sm" c="gray.7">
          {t('canned.noneOwn')}
        </Text>
      ) : null}
      {mine.map((r) => (
        <Group key={r.id} justify="space-between" wrap="nowrap" data-testid={`${testId}-own`}>
          <Text size="sm" truncate>
            {r.title}
          </Text>
          <Group gap={4} wrap="nowrap">
            {r.shared ? (
              <Badge size="xs" variant="filled" color="gray.8">
                {t('canned.shared')}
              </Badge>
            ) : null}
            <ActionIcon
              size="sm"
              variant="subtle"
              color="gray.8"
              aria-label={t('canned.edit', { title: r.title })}
              onClick={() => {
                save.reset()
                setEditing(r)
                setTitle(r.title)
                setContent(r.content)
                setShared(r.shared)
              }}
            >
              <IconPencil size={14} aria-hidden />
            </ActionIcon>
            <ActionIcon
              size="sm"
              variant="subtle"
              color="red.8"
              aria-label={t('canned.delete', { title: r.title })}
              onClick={() => remove.mutate(r.id)}
            >
              <IconTrash size={14} aria-hidden />
            </ActionIcon>
          </Group>
        </Group>
      ))}
      <ErrorBanner error={remove.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (!save.isPending) save.mutate()
        }}
      >
        <Stack gap="sm">
          <Text fw={500} size="sm">
            {editing ? t('canned.editing', { title: editing.title }) : t('canned.new')}
          </Text>
          <TextInput
            label={t('canned.title')}
            data-testid={`${testId}-title`}
            value={title}
            maxLength={100}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errs.fields.title}
            data-autofocus
          />
          <Textarea
            label={t('canned.content')}
            data-testid={`${testId}-content`}
            value={content}
            autosize
            minRows={3}
            maxRows={10}
            onChange={(e) => setContent(e.currentTarget.value)}
            error={errs.fields.content}
          />
          {user.can.manage_config ? (
            <Checkbox
              label={t('canned.shareWithEveryone')}
              data-testid={`${testId}-shared`}
              checked={shared}
              onChange={(e) => setShared(e.currentTarget.checked)}
            />
          ) : null}
          {errs.rest ? <ErrorBanner error={save.error} /> : null}
          <Group justify="flex-end">
            {editing ? (
              <Button variant="default" onClick={reset}>
                {t('common.cancel')}
              </Button>
            ) : null}
            <Button type="submit" loading={save.isPending} data-testid={`${testId}-save`}>
              {t('canned.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}

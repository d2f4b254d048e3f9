import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Anchor, Button, Group, Stack } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { Post } from '../../api/types'
import { AttachmentList } from '../../components/AttachmentList'
import { ConfirmButton } from '../../components/ConfirmButton'
import { EditHistory } from '../../components/EditHistory'
import { HoursInput } from '../../components/HoursInput'
import { ErrorBanner } from '../../components/ErrorBanner'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { MarkdownView } from '../../components/MarkdownView'
import { Pagination } from '../../components/Pagination'
import { PostCard } from '../../components/PostCard'
import { replyRules } from '../../components/rules'
import { deletePost, listPostHistory, listPosts, postKeys, updatePost } from './api'
import classes from './Replies.module.css'

interface Props {
  ticketId: number
  page: number
  onPage: (p: number) => void
  /** Rendered after each reply (the ticket's activity at that point). */
  after?: (post: Post) => ReactNode
  onQuote: (post: Post) => void
  /** The reply to scroll to, focus and mark (a search result's match). */
  focusPost?: number | null
}

export function Replies({ ticketId, page, onPage, after, onQuote, focusPost }: Props) {
  const posts = useQuery({
    queryKey: postKeys.page(ticketId, page),
    queryFn: () => listPosts(ticketId, page),
    placeholderData: keepPreviousData,
  })
  const meta = posts.data?._meta
  const offset = ((meta?.page ?? 1) - 1) * (meta?.per_page ?? 0)
  // Once per reply asked for, when it is on the page shown.
  const focused = useRef<number | null>(null)
  useEffect(() => {
    if (!focusPost || focused.current === focusPost) return
    const el = document.getElementById(`post-${focusPost}`)
    if (!el) return
    focused.current = focusPost
    el.scrollIntoView({ block: 'start' })
    el.focus({ preventScroll: true })
  }, [focusPost, posts.data])
  return (
    <Stack gap="xs" data-testid="replies">
      <ErrorBanner error={posts.error} />
      <Pagination meta={meta} onChange={onPage} />
      {(posts.data?.items ?? []).map((p, i) => (
        <Stack
          key={p.id}
          gap={0}
          id={`post-${p.id}`}
          tabIndex={-1}
          data-keep-focus
          data-matched={p.id === focusPost || undefined}
          className={classes.post}
        >
          <Reply post={p} number={offset + i + 1} ticketId={ticketId} onQuote={onQuote} />
          {after?.(p)}
        </Stack>
      ))}
      <Pagination meta={meta} onChange={onPage} />
    </Stack>
  )
}

function Reply({
  post: p,
  number,
  ticketId,
  onQuote,
}: {
  post: Post
  number: number
  ticketId: number
  onQuote: (p: Post) => void
}) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const perms = p.can
  const [editing, setEditing] = useState(false)
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['posts', ticketId] })
    void qc.invalidateQueries({ queryKey: ['ticket', ticketId] })
    void qc.invalidateQueries({ queryKey: ['post', p.id] })
  }
  return (
    <PostCard
      id={`reply-${number}`}
      testId="reply"
      author={p.user}
      formerUser
      date={p.data_added}
      actions={
        <Group gap={4}>
          <Anchor href={`#reply-${number}`} size="xs" c="dimmed">
            {t('posts.replyNumber', { n: number })}
          </Anchor>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onQuote(p)}
            data-testid="quote-reply"
          >
            {t('posts.quote')}
          </Button>
          {perms.edit && !editing ? (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => setEditing(true)}
              data-testid="edit-reply"
            >
              {t('common.edit')}
            </Button>
          ) : null}
          {perms.delete ? (
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="red"
              testId="delete-reply"
              title={t('posts.deleteTitle')}
              message={t('posts.deleteConfirm')}
              confirmLabel={t('common.delete')}
              onConfirm={async () => {
                await deletePost(p.id)
                notifications.show({ color: 'green', message: t('posts.deleted') })
                refresh()
              }}
            >
              {t('common.delete')}
            </ConfirmButton>
          ) : null}
        </Group>
      }
      dateModified={p.date_modified}
      modifiedBy={p.modified_by}
      history={<EditHistory queryKey={postKeys.history(p.id)} load={() => listPostHistory(p.id)} />}
      hours={p.hours}
      attachments={<PostAttachments post={p} canEdit={perms.edit} onChange={refresh} />}
    >
      {editing ? (
        <EditReply
          post={p}
          onDone={() => {
            setEditing(false)
            refresh()
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <MarkdownView html={p.content_html} testId="reply-content-html" />
      )}
    </PostCard>
  )
}

function EditReply({
  post: p,
  onDone,
  onCancel,
}: {
  post: Post
  onDone: () => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [content, setContent] = useState(p.content)
  const [hours, setHours] = useState<number | string>(p.hours)
  const [problem, setProblem] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  return (
    <Stack data-testid="edit-reply-form">
      <ErrorBanner error={error} />
      <MarkdownEditor
        label={t('posts.content')}
        value={content}
        onChange={setContent}
        error={problem}
        testId="edit-reply-content"
      />
      <HoursInput value={hours} onChange={setHours} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button
          loading={busy}
          data-testid="edit-reply-save"
          onClick={() => {
            const pr = replyRules(t).content(content)
            setProblem(pr)
            if (pr) return
            setBusy(true)
            updatePost(p.id, { content, hours: Number(hours) || 0 })
              .then(onDone)
              .catch((e: unknown) => {
                setError(e)
              })
              .finally(() => setBusy(false))
          }}
        >
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  )
}

function PostAttachments({
  post,
  canEdit,
  onChange,
}: {
  post: Post
  canEdit: boolean
  onChange: () => void
}) {
  if (post.uploads.length === 0) return null
  return (
    <AttachmentList
      uploads={post.uploads}
      canEdit={canEdit}
      onChange={onChange}
      compact
      linkTestId="reply-attachment"
    />
  )
}

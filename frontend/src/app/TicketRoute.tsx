/**
 * The ticket page, where the tickets and posts features meet: header and
 * workflow, the opening message, then the replies with the activity log
 * in between, subscribers, and the reply form. It draws from one request
 * (prefetch.ts), shared out into each part's cache (ticketPageData.ts).
 */
import { useRef, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Button, Grid, Group, Stack, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useLocation, useParams, useSearchParams } from 'react-router'
import { isApiError } from '../api/errors'
import { clearDraft, draftKey, isString, loadDraft, useAutosave } from '../components/drafts'
import { ErrorBanner } from '../components/ErrorBanner'
import { LeaveDialog, useLeaveGuard } from '../components/LeaveGuard'
import { quoteText } from '../components/quote'
import { formatDateTime } from '../i18n/format'
import { Replies, ReplyForm, useFindPost } from '../features/posts'
import {
  ActionLine,
  Subscribers,
  TicketBody,
  TicketHeader,
  actionsByPost,
  closeTicket,
  useActions,
  useInvalidateTicket,
  useMarkSeen,
  useTicket,
} from '../features/tickets'
import { ticketKeys } from '../features/tickets/api'
import { NotFoundPage } from './ErrorPages'
import { PageLoader } from './Layout'
import { ticketPageQuery, ticketPageWant, type TicketPageData } from './prefetch'
import { useUser } from './session'

export { seedTicketPage } from './ticketPageData'

export function TicketRoute() {
  const id = Number(useParams().id)
  // A page per ticket: another ticket starts with its own state and draft.
  return <TicketPage key={id} id={id} />
}

/**
 * Waits for the page's one request (started by the route's loader or a
 * link's prefetch, else here) before drawing, so that no part asks for its
 * own data meanwhile — unless the ticket is still cached from a recent
 * visit; once drawn, the page stays, whatever refreshes.
 */
function TicketPage({ id }: { id: number }) {
  const qc = useQueryClient()
  const valid = Number.isInteger(id) && id > 0
  // The loader's request is for the address the page opened at.
  const { search } = useLocation()
  const [want] = useState(() => ticketPageWant(search))
  const first = useQuery({ ...ticketPageQuery(qc, id, want), enabled: valid })
  // Back on a ticket seen minutes ago, its parts are still cached: they are
  // shown at once while the one request refreshes them.
  const [drawn, setDrawn] = useState(
    () => valid && qc.getQueryData(ticketKeys.one(id)) !== undefined,
  )
  if (!drawn && first.status !== 'pending' && !first.isFetching) setDrawn(true)

  if (!valid) return <NotFoundPage />
  if (!drawn) return <PageLoader />
  if (isApiError(first.error) && first.error.status === 404) return <NotFoundPage />
  // On any other failure each part asks for itself.
  return <TicketView id={id} seenBefore={first.data?.seen} />
}

function TicketView({ id, seenBefore }: { id: number; seenBefore: TicketPageData['seen'] }) {
  const { t } = useTranslation()
  const user = useUser()
  const [params, setParams] = useSearchParams()
  const page = Math.max(1, Number(params.get('page')) || 1)
  // A link to one reply (?post=456 or #post-456, as search results give):
  // its page of replies is shown, and the reply scrolled to.
  const { hash } = useLocation()
  const wanted = Number(params.get('post') ?? /^#post-(\d+)$/.exec(hash)?.[1])
  const linked = Number.isInteger(wanted) && wanted > 0 ? wanted : null
  // Opening the ticket marks it seen (after the first answer, which said
  // what was new without moving the mark); without a linked reply, the
  // first reply that is new since the last visit is the one scrolled to.
  const seen = useMarkSeen(id)
  const news = seen.data ?? seenBefore
  const [paged, setPaged] = useState(false)
  const postId = linked ?? (paged ? null : (news?.first_unread_post_id ?? null))
  const postPage = useFindPost(id, postId)
  const ticket = useTicket(id)
  const actions = useActions(id)
  const invalidate = useInvalidateTicket(id)
  // The reply being written is kept as a draft of this user for this ticket.
  const replyKey = draftKey(user.id, `reply.${id}`)
  const [restored, setRestored] = useState(() => loadDraft(replyKey, isString))
  const [draft, setDraft] = useState(() => restored?.value ?? '')
  useAutosave(replyKey, draft, draft.trim() === '')
  const leave = useLeaveGuard(draft.trim() !== '')
  const formRef = useRef<HTMLDivElement>(null)

  if (ticket.isPending) return <PageLoader />
  if (isApiError(ticket.error) && ticket.error.status === 404) return <NotFoundPage />
  const tk = ticket.data
  if (!tk) return <ErrorBanner error={ticket.error} />

  const byPost = actionsByPost(actions.data)
  const quote = (
    name: string | undefined,
    date: string | null | undefined,
    content: string | undefined,
  ) => {
    const intro = t('posts.wroteOn', { name: name ?? '?', date: formatDateTime(date) })
    setDraft((d) => d + quoteText(intro, content ?? ''))
    formRef.current?.scrollIntoView({ behavior: 'smooth' })
    formRef.current?.querySelector('textarea')?.focus()
  }

  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 9 }}>
        <Stack>
          <TicketHeader ticket={tk} />
          <TicketBody
            ticket={tk}
            onQuote={() => quote(tk.started_by?.name, tk.date_added, tk.content)}
          />
          {news && news.new_replies > 0 ? (
            <Text size="sm" fw={700} c="blue.8" data-testid="new-replies">
              {t('unread.newReplies', { count: news.new_replies })}
            </Text>
          ) : null}
          <Stack gap={0} data-testid="activity-before-replies">
            {(byPost.get(null) ?? []).map((a) => (
              <ActionLine key={a.id} action={a} />
            ))}
          </Stack>
          <Replies
            ticketId={id}
            page={postId !== null ? (postPage.data ?? page) : page}
            focusPost={postId}
            onPage={(p) => {
              setPaged(true)
              setParams(p > 1 ? { page: String(p) } : {})
            }}
            onQuote={(p) => quote(p.user?.name, p.data_added, p.content)}
            after={(p) => (byPost.get(p.id) ?? []).map((a) => <ActionLine key={a.id} action={a} />)}
          />
          <div ref={formRef}>
            <ReplyForm
              key={`${tk.status_id}-${tk.ticket_priority_id}`}
              ticketId={id}
              statusId={tk.status_id}
              statusChoices={tk.can.change_status_to}
              priorityId={tk.ticket_priority_id}
              content={draft}
              onContentChange={setDraft}
              onReplyAndClose={tk.can.close ? () => closeTicket(id) : undefined}
              onDone={() => {
                setRestored(null)
                invalidate()
              }}
              notice={
                restored && draft !== '' ? (
                  <Group gap="xs" data-testid="reply-draft-restored">
                    <Text size="sm" c="dimmed">
                      {t('drafts.restored', { when: formatDateTime(restored.savedAt) })}
                    </Text>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      data-testid="reply-draft-discard"
                      onClick={() => {
                        clearDraft(replyKey)
                        setRestored(null)
                        setDraft('')
                      }}
                    >
                      {t('drafts.discard')}
                    </Button>
                  </Group>
                ) : null
              }
            />
          </div>
          <LeaveDialog blocker={leave.blocker} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 3 }}>
        <Subscribers ticketId={id} can={tk.can} userId={user.id} />
      </Grid.Col>
    </Grid>
  )
}

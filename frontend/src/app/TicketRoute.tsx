/**
 * The ticket page, where the tickets and posts features meet: header and
 * workflow, the opening message, then the replies with the activity log
 * in between, subscribers, and the reply form.
 */
import { useRef, useState } from 'react'
import { Grid, Stack } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useParams, useSearchParams } from 'react-router'
import { isApiError } from '../api/errors'
import { ErrorBanner } from '../components/ErrorBanner'
import { quoteText } from '../components/quote'
import { formatDateTime } from '../i18n/format'
import { Replies, ReplyForm } from '../features/posts'
import {
  ActionLine,
  STATUS_CLOSED,
  Subscribers,
  TicketBody,
  TicketHeader,
  actionsByPost,
  closeTicket,
  ticketPermissions,
  useActions,
  useInvalidateTicket,
  useTicket,
} from '../features/tickets'
import { NotFoundPage } from './ErrorPages'
import { PageLoader } from './Layout'
import { useSession } from './session'

export function TicketRoute() {
  const { t } = useTranslation()
  const { user } = useSession()
  const id = Number(useParams().id)
  const [params, setParams] = useSearchParams()
  const page = Math.max(1, Number(params.get('page')) || 1)
  const ticket = useTicket(Number.isInteger(id) ? id : 0)
  const actions = useActions(id)
  const invalidate = useInvalidateTicket(id)
  const [draft, setDraft] = useState('')
  const formRef = useRef<HTMLDivElement>(null)

  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />
  if (ticket.isPending) return <PageLoader />
  if (isApiError(ticket.error) && ticket.error.status === 404) return <NotFoundPage />
  const tk = ticket.data
  if (!tk) return <ErrorBanner error={ticket.error} />

  const perms = ticketPermissions(tk, user)
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
          <TicketHeader ticket={tk} perms={perms} />
          <TicketBody
            ticket={tk}
            perms={perms}
            onQuote={() => quote(tk.started_by?.name, tk.date_added, tk.content)}
          />
          <Stack gap={0} data-testid="activity-before-replies">
            {(byPost.get(null) ?? []).map((a) => (
              <ActionLine key={a.id} action={a} />
            ))}
          </Stack>
          <Replies
            ticketId={id}
            ticketClosed={tk.status_id === STATUS_CLOSED}
            page={page}
            onPage={(p) => setParams(p > 1 ? { page: String(p) } : {})}
            onQuote={(p) => quote(p.user?.name, p.data_added, p.content)}
            after={(p) => (byPost.get(p.id) ?? []).map((a) => <ActionLine key={a.id} action={a} />)}
          />
          <div ref={formRef}>
            <ReplyForm
              key={`${tk.status_id}-${tk.ticket_priority_id}`}
              ticketId={id}
              statusId={tk.status_id}
              priorityId={tk.ticket_priority_id}
              content={draft}
              onContentChange={setDraft}
              onReplyAndClose={perms.close ? () => closeTicket(id) : undefined}
              onDone={invalidate}
            />
          </div>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 3 }}>
        <Subscribers ticketId={id} perms={perms} userId={user?.id} />
      </Grid.Col>
    </Grid>
  )
}

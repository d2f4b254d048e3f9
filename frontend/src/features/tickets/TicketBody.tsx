import { Button } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { TicketDetail } from '../../api/types'
import { EditHistory } from '../../components/EditHistory'
import { MarkdownView } from '../../components/MarkdownView'
import { PostCard } from '../../components/PostCard'
import { listTicketHistory, ticketKeys } from './api'
import { TicketAttachments } from './Attachments'

/** The opening message: author, date, rendered body, edits, hours, attachments. */
export function TicketBody({ ticket: tk, onQuote }: { ticket: TicketDetail; onQuote: () => void }) {
  const { t } = useTranslation()
  return (
    <PostCard
      testId="ticket-body"
      author={tk.started_by}
      date={tk.date_added}
      actions={
        <Button size="compact-xs" variant="subtle" onClick={onQuote} data-testid="quote-ticket">
          {t('posts.quote')}
        </Button>
      }
      dateModified={tk.date_modified}
      modifiedBy={tk.modified_by}
      history={
        <EditHistory
          queryKey={ticketKeys.history(tk.id)}
          load={() => listTicketHistory(tk.id)}
          testId="ticket-history"
        />
      }
      hours={tk.hours}
      attachments={<TicketAttachments ticketId={tk.id} canEdit={tk.can.edit} />}
    >
      <MarkdownView html={tk.content_html} testId="ticket-content-html" />
    </PostCard>
  )
}

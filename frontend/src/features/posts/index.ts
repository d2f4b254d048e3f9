/** What the ticket page (composed in app/) uses from this feature. */
export { Replies } from './Replies'
export { ReplyForm } from './ReplyForm'
export { useFindPost } from './api'

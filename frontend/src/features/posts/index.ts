/** What the ticket page (composed in app/) uses from this feature. */
export { Replies, postPermissions } from './Replies'
export { ReplyForm } from './ReplyForm'

/** What the ticket page (composed in app/) uses from this feature. */
export { TicketHeader } from './TicketHeader'
export { TicketBody } from './TicketBody'
export { Subscribers } from './Subscribers'
export { ActionLine, actionsByPost, useActions } from './Activity'
export { useTicket, useInvalidateTicket } from './useTicket'
export { closeTicket } from './api'
export { useMarkSeen } from './seen'

/**
 * Complete API objects for tests, typed by the generated spec: a test names
 * only the fields it cares about.
 */
import type { Me, Ticket, TicketDetail, User } from '../api/types'

export function ticketFixture(o: Partial<Ticket> = {}): Ticket {
  return {
    assigned_id: null,
    assigned_to: null,
    category: 'Internet',
    category_id: 1,
    content: 'The printer is on fire.',
    content_html: '<p>The printer is on fire.</p>',
    date_added: 'Thu, 26 Nov 2026 17:58:16 GMT',
    date_modified: null,
    department: 'IT',
    department_id: 1,
    hours: 0,
    id: 1,
    last_updated: 'Thu, 26 Nov 2026 17:58:16 GMT',
    links: {
      assigned: null,
      category: '',
      histories: '',
      modified_by: null,
      priority: '',
      self: '',
      started_ny: null,
      status: '',
      subscribers: '',
      tickets: '',
    },
    modified_by: null,
    modified_id: null,
    num_replies: 0,
    number: '00001',
    priority: 'high',
    started_by: null,
    started_id: null,
    status: 'Open',
    status_id: 1,
    ticket_priority_id: 3,
    title: 'Printer',
    total_hours: 0,
    ...o,
  }
}

export function userFixture(o: Partial<User> = {}): User {
  return {
    avatar: '',
    date_added: 'Thu, 26 Nov 2026 17:58:16 GMT',
    email: 'user@example.com',
    id: 1,
    is_admin: false,
    is_super_user: false,
    job_title: 'unknown',
    links: { self: '', users: '' },
    name: 'A User',
    total_assigned: 0,
    total_posts: 0,
    username: 'user',
    ...o,
  }
}

/** A ticket's can: nothing allowed but what o allows. */
export function ticketCanFixture(o: Partial<TicketDetail['can']> = {}): TicketDetail['can'] {
  return {
    assign: false,
    change_category: false,
    change_priority: false,
    change_status: false,
    change_status_to: [],
    claim: false,
    close: false,
    delete: false,
    edit: false,
    release: false,
    reply: false,
    subscribe: false,
    subscribe_others: false,
    ...o,
  }
}

export function ticketDetailFixture(
  o: Partial<Ticket> = {},
  can: Partial<TicketDetail['can']> = {},
): TicketDetail {
  return { ...ticketFixture(o), can: ticketCanFixture(can) }
}

/** The signed-in user: nothing allowed but what can allows. */
export function meFixture(o: Partial<User> = {}, can: Partial<Me['can']> = {}): Me {
  return {
    ...userFixture(o),
    can: {
      delete_tickets: false,
      manage_config: false,
      manage_departments: false,
      manage_users: false,
      ...can,
    },
  }
}

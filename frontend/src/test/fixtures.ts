/**
 * Complete API objects for tests, typed by the generated spec: a test names
 * only the fields it cares about.
 */
import type { Ticket, User } from '../api/types'

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

/**
 * Complete API objects for tests, typed by the generated spec: a test names
 * only the fields it cares about.
 */
import type {
  Category,
  Department,
  Me,
  Meta,
  Post,
  Schema,
  Ticket,
  TicketDetail,
  User,
} from '../api/types'

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

export function postFixture(o: Partial<Post> = {}): Post {
  return {
    can: { delete: false, edit: false },
    content: 'Have you tried turning it off?',
    content_html: '<p>Have you tried turning it off?</p>',
    data_added: 'Thu, 26 Nov 2026 18:03:00 GMT',
    date_modified: null,
    hours: 0,
    id: 1,
    links: { created_by: null, posts: '', self: '' },
    modified_by: null,
    modified_id: null,
    ticket_id: 1,
    uploads: [],
    user: {
      id: 1,
      is_admin: false,
      is_super_user: false,
      job_title: null,
      name: 'A User',
      username: 'user',
    },
    user_id: 1,
    ...o,
  }
}

export function departmentFixture(o: Partial<Department> = {}): Department {
  return {
    categories: [],
    department: 'IT',
    id: 1,
    links: { departments: '', self: '' },
    ...o,
  }
}

export function categoryFixture(o: Partial<Category> = {}): Category {
  return {
    category: 'Internet',
    department: 'IT',
    department_id: 1,
    id: 1,
    links: { categories: '', department: '', self: '' },
    ...o,
  }
}

export function groupFixture(o: Partial<Schema<'Group'>> = {}): Schema<'Group'> {
  return { group_name: 'flicket_admin', id: 1, links: { groups: '', self: '' }, members: 1, ...o }
}

/** A list envelope (`items`, `_meta`, `_links`) holding these items on one page. */
export function pageOf<T>(items: T[], meta: Partial<Meta> = {}) {
  return {
    items,
    _meta: {
      page: 1,
      per_page: 50,
      total_items: items.length,
      total_pages: items.length > 0 ? 1 : 0,
      ...meta,
    },
    _links: { self: '', next: null, prev: null },
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

/** What GET /me's can says for an administrator and for a super user. */
export const ADMIN_CAN: Partial<Me['can']> = {
  delete_tickets: true,
  manage_config: true,
  manage_departments: true,
  manage_users: true,
}
export const SUPER_CAN: Partial<Me['can']> = { manage_departments: true }

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

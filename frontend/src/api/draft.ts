/**
 * Provisional API shapes for endpoints that the generated spec
 * (schema.d.ts) does not describe yet: their handlers are still being
 * written by other parts of the team. Everything here is written in the
 * same form openapi-typescript generates (every field optional, as swag
 * emits them), and types.ts lets the generated spec win: as soon as
 * `make api-docs` brings a path or schema into schema.d.ts, the entry below
 * is ignored for it and can be deleted (`npm run draft-check` lists them).
 *
 * Shapes follow the original's resources (features §4.5) plus what the
 * team brief adds: content_html next to content, UserRef objects, names of
 * status/priority/department/category on tickets.
 */

import type { components } from './schema'

interface Json<T> {
  content: { 'application/json': T }
}
interface Headers {
  headers: Record<string, unknown>
}
interface ErrorResponses {
  400: Headers & Json<DraftSchemas['Error']>
  401: Headers & Json<DraftSchemas['Error']>
  403: Headers & Json<DraftSchemas['Error']>
  404: Headers & Json<DraftSchemas['Error']>
  409: Headers & Json<DraftSchemas['Error']>
  422: Headers & Json<DraftSchemas['Error']>
}

interface OpSpec {
  query?: object
  path?: object
  body?: unknown
  multipart?: unknown
  response?: unknown
}

type Params<S extends OpSpec> = {
  query?: S extends { query: infer Q } ? Q : never
  header?: never
  cookie?: never
} & (S extends { path: infer P } ? { path: P } : { path?: never })

type Body<S extends OpSpec> = S extends { body: infer B }
  ? { requestBody: Json<B> }
  : S extends { multipart: infer M }
    ? { requestBody: { content: { 'multipart/form-data': M } } }
    : { requestBody?: never }

type Responses<S extends OpSpec> = (S extends { response: infer R }
  ? { 200: Headers & Json<R> }
  : { 204: Headers & { content?: never } }) &
  ErrorResponses

/** One operation in openapi-typescript's shape. */
type Op<S extends OpSpec> = { parameters: Params<S>; responses: Responses<S> } & Body<S>

interface Envelope<T> {
  _links?: DraftSchemas['PageLinks']
  _meta?: DraftSchemas['Meta']
  items?: T[]
}

interface Paging {
  page?: number
  per_page?: number
}

/** Ticket list filters of GET /tickets/ (and the CSV export). */
export interface TicketFilters {
  /** open: every status but Closed; closed: Closed only; absent: all */
  state?: 'open' | 'closed'
  /** mine: created by or assigned to me; subscribed: I am subscribed */
  view?: 'mine' | 'subscribed'
  /** department, category, status, priority: an id or an exact name */
  department?: string
  category?: string
  status?: string
  priority?: string
  /** creator or assignee: a user id or username */
  user?: string
  assigned_id?: number
  created_id?: number
  /** text in the title, the body or any reply */
  q?: string
  sort?: string
}

export interface DraftSchemas {
  Error: {
    code?: string
    error?: string
    errors?: { code?: string; field?: string; message?: string }[]
    message?: string
  }
  Meta: { page?: number; per_page?: number; total_items?: number; total_pages?: number }
  PageLinks: { next?: string; prev?: string; self?: string }
  UserRef: { id?: number; name?: string; username?: string }
  Ticket: {
    assigned_id?: number | null
    assigned_to?: DraftSchemas['UserRef'] | null
    category?: string
    category_id?: number
    content?: string
    content_html?: string
    date_added?: string
    date_modified?: string | null
    department?: string
    department_id?: number
    hours?: number
    id?: number
    last_updated?: string
    links?: Record<string, string | null>
    modified_by?: DraftSchemas['UserRef'] | null
    modified_id?: number | null
    num_replies?: number
    number?: string
    priority?: string
    started_by?: DraftSchemas['UserRef'] | null
    started_id?: number | null
    status?: string
    status_id?: number
    ticket_priority_id?: number
    title?: string
    total_hours?: number
  }
  TicketCreate: {
    category_id: number
    content: string
    hours?: number
    ticket_priority_id: number
    title: string
  }
  TicketUpdate: {
    category_id?: number
    content?: string
    hours?: number
    ticket_priority_id?: number
    title?: string
  }
  History: {
    date_modified?: string
    id?: number
    original_content?: string
    post_id?: number | null
    topic_id?: number | null
    user?: DraftSchemas['UserRef'] | null
    user_id?: number | null
  }
  Action: {
    action?: string
    data?: Record<string, unknown> | null
    date?: string
    id?: number
    post_id?: number | null
    recipient?: DraftSchemas['UserRef'] | null
    recipient_id?: number | null
    ticket_id?: number
    user?: DraftSchemas['UserRef'] | null
    user_id?: number | null
  }
  Stats: {
    high_priority_open?: DraftSchemas['Ticket'][]
    departments?: {
      department?: string
      department_id?: number
      statuses?: { count?: number; status?: string; status_id?: number }[]
      total?: number
    }[]
  }
  OutboxMail: {
    attempts?: number
    created_at?: string
    id?: number
    last_error?: string | null
    recipients?: string[]
    sent_at?: string | null
    status?: string
    subject?: string
  }
}

type S = DraftSchemas
type Post = components['schemas']['Post']
interface Id {
  id: number
}

export interface DraftPaths {
  '/flicket-api/password-reset': { post: Op<{ body: { email: string } }> }
  '/flicket-api/password-reset/confirm': {
    post: Op<{ body: { password: string; token: string } }>
  }
  '/flicket-api/stats': { get: Op<{ response: S['Stats'] }> }
  '/flicket-api/tickets/': {
    get: Op<{ query: TicketFilters & Paging; response: Envelope<S['Ticket']> }>
  }
  '/flicket-api/tickets': { post: Op<{ body: S['TicketCreate']; response: S['Ticket'] }> }
  '/flicket-api/ticket/{id}': {
    get: Op<{ path: Id; response: S['Ticket'] }>
    patch: Op<{ path: Id; body: S['TicketUpdate']; response: S['Ticket'] }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/ticket/{id}/assign': {
    post: Op<{ path: Id; body: { user_id: number }; response: S['Ticket'] }>
  }
  '/flicket-api/ticket/{id}/claim': { post: Op<{ path: Id; response: S['Ticket'] }> }
  '/flicket-api/ticket/{id}/release': { post: Op<{ path: Id; response: S['Ticket'] }> }
  '/flicket-api/ticket/{id}/close': { post: Op<{ path: Id; response: S['Ticket'] }> }
  '/flicket-api/ticket/{id}/category': {
    post: Op<{ path: Id; body: { category_id: number }; response: S['Ticket'] }>
  }
  '/flicket-api/actions/{ticket_id}': {
    get: Op<{ path: { ticket_id: number }; query: Paging; response: Envelope<S['Action']> }>
  }
  '/flicket-api/histories/': {
    get: Op<{
      query: Paging & { topic_id?: number; post_id?: number }
      response: Envelope<S['History']>
    }>
  }
  /** The route exists; the spec documents only the ?per_page form. */
  '/flicket-api/posts/{ticket_id}/{page}/': {
    get: Op<{
      path: { ticket_id: number; page: number }
      query: Paging
      response: Envelope<Post>
    }>
  }
  '/flicket-api/config/test-email': { post: Op<{ body: { email: string } }> }
  '/flicket-api/mail/outbox/': {
    get: Op<{ query: Paging; response: Envelope<S['OutboxMail']> }>
  }
}

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

/** Ticket list filters; the SPA keeps the same names in its URL. */
export interface TicketFilters {
  /** open (default): every status but Closed; closed; all */
  state?: 'open' | 'closed' | 'all'
  /** mine: created by or assigned to me; subscribed: I am subscribed */
  view?: 'mine' | 'subscribed'
  department_id?: number
  category_id?: number
  status_id?: number
  priority_id?: number
  /** created by or assigned to this user */
  user_id?: number
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
    assigned?: DraftSchemas['UserRef'] | null
    assigned_id?: number | null
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
    modified?: DraftSchemas['UserRef'] | null
    modified_id?: number | null
    num_replies?: number
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
  Post: {
    content?: string
    content_html?: string
    data_added?: string
    date_added?: string
    date_modified?: string | null
    hours?: number
    id?: number
    links?: Record<string, string | null>
    modified?: DraftSchemas['UserRef'] | null
    ticket_id?: number
    user?: DraftSchemas['UserRef'] | null
    user_id?: number | null
  }
  PostCreate: {
    content: string
    hours?: number
    status_id?: number
    ticket_id: number
    ticket_priority_id?: number
  }
  PostUpdate: { content?: string; hours?: number }
  Department: {
    categories?: DraftSchemas['Category'][]
    department?: string
    id?: number
    links?: Record<string, string | null>
  }
  Category: {
    category?: string
    department?: string
    department_id?: number
    id?: number
    links?: Record<string, string | null>
  }
  Subscription: {
    id?: number
    ticket_id?: number
    user?: DraftSchemas['UserRef'] | null
    user_def?: string
    user_id?: number
  }
  Upload: {
    content_type?: string
    date_added?: string
    filename?: string
    id?: number
    image?: string
    links?: Record<string, string | null>
    original_filename?: string
    post_id?: number | null
    size?: number
    topic_id?: number | null
  }
  History: {
    date_modified?: string
    id?: number
    original_content?: string
    original_content_html?: string
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
    departments?: {
      department?: string
      department_id?: number
      statuses?: { count?: number; status?: string; status_id?: number }[]
      total?: number
    }[]
    statuses?: { id?: number; status?: string }[]
  }
  Group: { group_name?: string; id?: number; members?: number }
  Config: {
    allowed_extensions?: string
    application_title?: string
    base_url?: string
    change_category?: boolean
    change_category_only_admin_or_super_user?: boolean
    csv_dump_limit?: number
    mail_ascii_attachments?: boolean
    mail_debug?: boolean
    mail_default_sender?: string | null
    mail_max_emails?: number
    mail_password_set?: boolean
    mail_port?: number
    mail_server?: string | null
    mail_suppress_send?: boolean
    mail_use_ssl?: boolean
    mail_use_tls?: boolean
    mail_username?: string | null
    posts_per_page?: number
  }
  ConfigUpdate: Omit<DraftSchemas['Config'], 'mail_password_set'> & {
    mail_password?: string
  }
  OutboxMail: {
    attempts?: number
    body?: string
    created_at?: string
    id?: number
    last_error?: string | null
    recipients?: string[]
    sent_at?: string | null
    status?: string
    subject?: string
  }
  UserCreate: {
    disabled?: boolean
    email: string
    groups?: string[]
    job_title?: string
    locale?: string
    name: string
    password: string
    username: string
  }
  UserUpdate: Partial<DraftSchemas['UserCreate']>
  MeUpdate: {
    current_password?: string
    email?: string
    job_title?: string
    locale?: string
    name?: string
    new_password?: string
  }
  Markdown: { content_html?: string }
}

type S = DraftSchemas
interface User {
  avatar?: string
  date_added?: string
  disabled?: boolean
  email?: string
  groups?: string[]
  id?: number
  is_admin?: boolean
  is_super_user?: boolean
  job_title?: string
  locale?: string
  name?: string
  total_assigned?: number
  total_posts?: number
  username?: string
}
interface Id {
  id: number
}

export interface DraftPaths {
  '/flicket-api/me': {
    get: Op<{ response: User }>
    patch: Op<{ body: S['MeUpdate']; response: User }>
  }
  '/flicket-api/me/avatar': {
    put: Op<{ multipart: { avatar: Blob }; response: User }>
    delete: Op<object>
  }
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
  '/flicket-api/posts/{ticket_id}/': {
    get: Op<{ path: { ticket_id: number }; query: Paging; response: Envelope<S['Post']> }>
  }
  '/flicket-api/posts': { post: Op<{ body: S['PostCreate']; response: S['Post'] }> }
  '/flicket-api/post/{id}': {
    patch: Op<{ path: Id; body: S['PostUpdate']; response: S['Post'] }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/subscriptions/{ticket_id}/': {
    get: Op<{
      path: { ticket_id: number }
      query: Paging
      response: Envelope<S['Subscription']>
    }>
  }
  '/flicket-api/subscriptions': {
    post: Op<{ body: { ticket_id: number; user_id: number }; response: S['Subscription'] }>
  }
  '/flicket-api/subscription/{id}': { delete: Op<{ path: Id }> }
  '/flicket-api/uploads/': {
    get: Op<{
      query: Paging & { topic_id?: number; post_id?: number }
      response: Envelope<S['Upload']>
    }>
  }
  '/flicket-api/uploads': {
    post: Op<{
      multipart: { file: Blob[]; post_id?: number; ticket_id?: number }
      response: Envelope<S['Upload']>
    }>
  }
  '/flicket-api/upload/{id}': { delete: Op<{ path: Id }> }
  '/flicket-api/markdown': { post: Op<{ body: { content: string }; response: S['Markdown'] }> }
  '/flicket-api/departments/': {
    get: Op<{ query: Paging; response: Envelope<S['Department']> }>
  }
  '/flicket-api/departments': {
    post: Op<{ body: { department: string }; response: S['Department'] }>
  }
  '/flicket-api/department/{id}': {
    patch: Op<{ path: Id; body: { department: string }; response: S['Department'] }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/categories/': {
    get: Op<{ query: Paging & { department_id?: number }; response: Envelope<S['Category']> }>
  }
  '/flicket-api/categories': {
    post: Op<{ body: { category: string; department_id: number }; response: S['Category'] }>
  }
  '/flicket-api/category/{id}': {
    patch: Op<{ path: Id; body: { category: string }; response: S['Category'] }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/users': { post: Op<{ body: S['UserCreate']; response: User }> }
  '/flicket-api/user/{id}': {
    patch: Op<{ path: Id; body: S['UserUpdate']; response: User }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/groups/': { get: Op<{ query: Paging; response: Envelope<S['Group']> }> }
  '/flicket-api/groups': { post: Op<{ body: { group_name: string }; response: S['Group'] }> }
  '/flicket-api/group/{id}': {
    patch: Op<{ path: Id; body: { group_name: string }; response: S['Group'] }>
    delete: Op<{ path: Id }>
  }
  '/flicket-api/config': {
    get: Op<{ response: S['Config'] }>
    patch: Op<{ body: S['ConfigUpdate']; response: S['Config'] }>
  }
  '/flicket-api/config/test-email': { post: Op<{ body: { email: string } }> }
  '/flicket-api/mail/outbox/': {
    get: Op<{ query: Paging; response: Envelope<S['OutboxMail']> }>
  }
}

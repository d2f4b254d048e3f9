/**
 * The API's types, all taken from the generated spec (schema.d.ts, made by
 * `make api-docs` from the server's annotations). Nothing here is written by
 * hand: these are names for what the spec describes.
 */
import type { components, paths } from './schema'

/** Every API path the client may call. */
export type Paths = paths

type Schemas = components['schemas']

/** A named schema of the API, e.g. Schema<'Ticket'>. */
export type Schema<K extends keyof Schemas> = Schemas[K]

export type User = Schema<'User'>
/** The signed-in user, with what they may do (can). */
export type Me = Schema<'Me'>
export type UserRef = Schema<'UserRef'>
/** A ticket as the list sends it (with the snippet fields on search results). */
export type Ticket = Schema<'Ticket'>
/** One ticket with what the signed-in user may do to it (can). */
export type TicketDetail = Schema<'TicketDetail'>
export type Post = Schema<'Post'>
export type Upload = Schema<'Upload'>
export type Department = Schema<'Department'>
export type Category = Schema<'Category'>
export type Status = Schema<'Status'>
export type Priority = Schema<'Priority'>
export type Meta = Schema<'Meta'>
export type ApiErrorBody = Schema<'Error'>
export type FieldError = Schema<'model.FieldError'>

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never

/** The JSON body of a path's successful (2xx) answer. */
export type Success<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends {
  responses: infer R
}
  ? JsonOf<R[Extract<keyof R, 200 | 201 | 202>]>
  : never

/** The query parameters a GET path takes. */
export type QueryOf<P extends keyof Paths> = Paths[P] extends {
  get: { parameters: { query?: infer Q } }
}
  ? NonNullable<Q>
  : never

/** The ticket list's filters and sort (also the CSV export's), without paging. */
export type TicketFilters = Omit<QueryOf<'/flicket-api/tickets/'>, 'page' | 'per_page'>

/** A sort key of the ticket list. */
export type TicketSort = NonNullable<TicketFilters['sort']>

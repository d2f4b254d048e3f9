/**
 * The API's types: the generated spec (schema.d.ts), completed by the
 * provisional draft.ts only where the spec has nothing yet. A generated
 * path, method or schema always wins over a draft one.
 */
import type { components, paths as generated } from './schema'
import type { DraftPaths, DraftSchemas } from './draft'

type Present<T> = [Exclude<T, undefined>] extends [never] ? false : true
type MethodsOf<T> = { [K in keyof T]-?: Present<T[K]> extends true ? K : never }[keyof T]
type Missing<G, D> = Exclude<MethodsOf<D>, MethodsOf<G>>
type MergeItem<G, D> = Omit<G, Missing<G, D>> & Pick<D, Missing<G, D>>

/** Every API path the client may call. */
export type Paths = Omit<generated, keyof DraftPaths> &
  Omit<DraftPaths, keyof generated> & {
    [P in keyof generated & keyof DraftPaths]: MergeItem<generated[P], DraftPaths[P]>
  }

type Schemas = components['schemas'] & Omit<DraftSchemas, keyof components['schemas']>

/** A named schema of the API, e.g. Schema<'Ticket'>. */
export type Schema<K extends keyof Schemas> = Schemas[K]

export type User = Schema<'User'>
export type UserRef = Schema<'UserRef'>
export type Ticket = Schema<'Ticket'>
export type Post = Schema<'Post'>
export type Department = Schema<'Department'>
export type Category = Schema<'Category'>
export type Status = Schema<'Status'>
export type Priority = Schema<'Priority'>
export type Meta = Schema<'Meta'>
export type ApiErrorBody = Schema<'Error'>
export type { TicketFilters } from './draft'

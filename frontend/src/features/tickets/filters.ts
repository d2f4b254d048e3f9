/**
 * Ticket list filters live in the URL (/tickets?status_id=3&q=printer), so
 * a filtered list can be bookmarked, shared and reloaded. The same names go
 * to the API and to the CSV export.
 */
import type { TicketFilters, TicketSort } from '../../api/types'

export const sortKeys = [
  'priority_desc',
  'priority',
  'last_updated_desc',
  'last_updated',
  'addedon_desc',
  'addedon',
  'ticketid_desc',
  'ticketid',
  'title',
  'title_desc',
  'addedby',
  'addedby_desc',
  'replies_desc',
  'replies',
  'department_category',
  'department_category_desc',
  'status',
  'status_desc',
  'assigned',
  'assigned_desc',
  'time_desc',
  'time',
] as const satisfies readonly TicketSort[]
export type SortKey = (typeof sortKeys)[number]

type Never<T extends never> = T
/** Compile-time check: the menu offers every sort key the API documents. */
export type EverySortOffered = Never<Exclude<TicketSort, SortKey>>

/** The original's default order: highest priority first. */
export const defaultSort: SortKey = 'priority_desc'

export interface Filters {
  state: 'open' | 'closed' | 'all'
  view: 'all' | 'mine' | 'subscribed' | 'waiting'
  department_id: number | null
  category_id: number | null
  status_id: number | null
  priority_id: number | null
  user_id: number | null
  assigned_id: number | null
  created_id: number | null
  q: string
  sort: SortKey
  page: number
}

export const emptyFilters: Filters = {
  state: 'open',
  view: 'all',
  department_id: null,
  category_id: null,
  status_id: null,
  priority_id: null,
  user_id: null,
  assigned_id: null,
  created_id: null,
  q: '',
  sort: defaultSort,
  page: 1,
}

const idKeys = [
  'department_id',
  'category_id',
  'status_id',
  'priority_id',
  'user_id',
  'assigned_id',
  'created_id',
] as const

function positiveInt(v: string | null): number | null {
  if (v === null || !/^\d{1,9}$/.test(v)) return null
  const n = Number(v)
  return n > 0 ? n : null
}

/** Reads filters from a URL query; anything unknown or malformed is ignored. */
export function parseFilters(params: URLSearchParams): Filters {
  const f: Filters = { ...emptyFilters }
  const state = params.get('state')
  if (state === 'closed' || state === 'all') f.state = state
  const view = params.get('view')
  if (view === 'mine' || view === 'subscribed' || view === 'waiting') f.view = view
  for (const k of idKeys) f[k] = positiveInt(params.get(k))
  f.q = (params.get('q') ?? '').slice(0, 200)
  const sort = params.get('sort')
  if (sort && (sortKeys as readonly string[]).includes(sort)) f.sort = sort as SortKey
  f.page = positiveInt(params.get('page')) ?? 1
  // A category only counts with its department, as in the form.
  if (f.department_id === null) f.category_id = null
  return f
}

/** Writes filters to a URL query, leaving out the defaults. */
export function filtersToParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams()
  if (f.state !== 'open') p.set('state', f.state)
  if (f.view !== 'all') p.set('view', f.view)
  for (const k of idKeys) {
    const v = f[k]
    if (v !== null) p.set(k, String(v))
  }
  if (f.q.trim() !== '') p.set('q', f.q.trim())
  if (f.sort !== defaultSort) p.set('sort', f.sort)
  if (f.page > 1) p.set('page', String(f.page))
  return p
}

/**
 * Changes some filters; any change but the page goes back to page 1, and a
 * new department drops the category.
 */
export function updateFilters(f: Filters, change: Partial<Filters>): Filters {
  const next = { ...f, ...change }
  if (!('page' in change)) next.page = 1
  if (
    'department_id' in change &&
    change.department_id !== f.department_id &&
    !('category_id' in change)
  ) {
    next.category_id = null
  }
  return next
}

/** The API's query for these filters (without paging); "all" states send none. */
export function apiQuery(f: Filters): TicketFilters {
  const q: TicketFilters = { sort: f.sort }
  if (f.state !== 'all') q.state = f.state
  if (f.view !== 'all') q.view = f.view
  const named = [
    ['department', f.department_id],
    ['category', f.category_id],
    ['status', f.status_id],
    ['priority', f.priority_id],
    ['user', f.user_id],
  ] as const
  for (const [k, v] of named) if (v !== null) q[k] = String(v)
  if (f.assigned_id !== null) q.assigned_id = f.assigned_id
  if (f.created_id !== null) q.created_id = f.created_id
  if (f.q.trim() !== '') q.q = f.q.trim()
  return q
}

/** The CSV export of the same list; the session cookie authenticates the download. */
export function exportUrl(f: Filters): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(apiQuery(f))) p.set(k, String(v))
  return `/flicket-api/tickets/export.csv?${p.toString()}`
}

export function isFiltered(f: Filters): boolean {
  return filtersToParams({ ...f, page: 1, sort: defaultSort }).toString() !== ''
}

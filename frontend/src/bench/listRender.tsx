/**
 * The page `make bench-web` measures in Chromium (e2e/bench/list-render.mjs):
 * the real triage table, with the app's theme, styles, texts and a data
 * router, rendering 50 realistic rows. A page of its own, built for
 * production like the app, rather than the app against a seeded server: the
 * render is then the only work on the main thread while it is timed (no
 * requests, queries or layout of the rest of the page landing in the same
 * task), and each run starts from the same state, so hundreds of runs take
 * seconds.
 *
 * Each run marks (performance.mark) and times React's render and commit
 * inside flushSync (the script work), a forced style recalculation and
 * layout of the new rows, and the next frame (paint and commit to the
 * compositor). The runner reads the main thread's CPU time at each mark from
 * a trace: on a busy machine the clock also counts the time the thread
 * waited for a core.
 */
import '@mantine/core/styles.css'
import { MantineProvider } from '@mantine/core'
import { useEffect, useState } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { createMemoryRouter, RouterProvider } from 'react-router'
import type { Ticket } from '../api/types'
import { cssVariablesResolver, theme } from '../app/App'
import { TicketTable, type RowOutcome } from '../features/tickets/TicketTable'
import { i18nReady } from '../i18n'

const rows = 50
const now = Date.parse('2026-12-06T12:00:00Z')

// Deterministic variety: the same 100 tickets every run, as seed-demo's data looks.
let seed = 42
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
}
const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)] as T
const people = [
  'Alice Martin',
  'Bob Dupont',
  'Chloé Lefèvre',
  'David Okafor',
  'Emma Schmidt',
  'François Bernard',
  'Grace Hopper-Lee',
  'Hiroshi Tanaka',
  'Inès Moreau',
  'James Smith',
  'Katarzyna Nowak',
  'Liam O’Brien',
].map((name, i) => ({ id: i + 2, name, username: name.split(' ')[0]?.toLowerCase() ?? '' }))
const subjects = [
  'Printer on the second floor prints blank pages after the driver update',
  'VPN drops every few minutes',
  'Cannot open shared calendar',
  'Laptop battery swells; needs replacing before the trip on Monday',
  'New starter: accounts, badge and a desk for Tuesday',
  'Invoice 2026-1187 sent twice to the same customer',
  'Wi-Fi slow in meeting room B',
  'Password reset mail never arrives',
  'Excel crashes when opening the quarterly report with macros enabled',
  'Phone extension 4471 forwards to the wrong voicemail',
  'Request: second monitor',
  'Intranet search returns nothing for “holiday policy”',
]
const places = [
  ['IT', 'Hardware'],
  ['IT', 'Network'],
  ['IT', 'Accounts'],
  ['Facilities', 'Building'],
  ['Finance', 'Invoices'],
  ['Human resources', 'Onboarding'],
] as const
const statuses = ['Open', 'Closed', 'In Work', 'Awaiting Reply']
const priorities = ['low', 'medium', 'high']
const iso = (t: number) => new Date(t).toUTCString()

function ticket(id: number): Ticket {
  const [department, category] = pick(places)
  const status = rand(10) < 6 ? 1 : rand(3) + 2
  const priority = rand(3) + 1
  const by = pick(people)
  const to = rand(10) < 3 ? null : pick(people)
  const added = now - rand(90 * 86_400) * 1000
  const updated = Math.max(added, now - rand(30 * 86_400) * 1000)
  const number = String(id).padStart(5, '0')
  return {
    id,
    number,
    title: `${pick(subjects)}${rand(2) ? ` (${department})` : ''}`,
    content: '',
    content_html: '',
    department,
    department_id: places.findIndex(([d]) => d === department) + 1,
    category,
    category_id: places.findIndex(([, c]) => c === category) + 1,
    status: statuses[status - 1] ?? '',
    status_id: status,
    priority: priorities[priority - 1] ?? '',
    ticket_priority_id: priority,
    started_by: by,
    started_id: by.id,
    assigned_to: to,
    assigned_id: to?.id ?? null,
    modified_by: null,
    modified_id: null,
    date_added: iso(added),
    date_modified: null,
    last_updated: iso(updated),
    hours: 0,
    total_hours: 0,
    num_replies: rand(8),
    unread: rand(10) < 3,
    links: {
      self: `/flicket-api/ticket/${id}`,
      assigned: null,
      category: '',
      histories: '',
      modified_by: null,
      priority: '',
      started_ny: null,
      status: '',
      subscribers: '',
      tickets: '',
    },
  }
}

/** Two pages of the list, newest first: the first page and the next. */
const pages = [0, 1].map((p) =>
  Array.from({ length: rows }, (_, i) => ticket(98_765 - p * rows - i)),
)
const noneSelected: ReadonlySet<number> = new Set()
const noOutcomes: ReadonlyMap<number, RowOutcome> = new Map()
const noop = () => undefined

let show: (page: number | null) => void = noop

/** The table as the list page holds it; which page it shows is set from outside. */
function Bench() {
  const [page, setPage] = useState<number | null>(null)
  useEffect(() => {
    show = setPage
  }, [])
  const tickets = page === null ? undefined : pages[page]
  return (
    <div data-testid="ticket-list">
      {tickets ? (
        <TicketTable
          tickets={tickets}
          loading={false}
          selected={noneSelected}
          onSelect={noop}
          onSelectAll={noop}
          sort="last_updated_desc"
          onSort={noop}
          outcomes={noOutcomes}
          now={now}
        />
      ) : null}
    </div>
  )
}

/**
 * One timed change, marked for the trace (the runner reads the main thread's
 * CPU time at each mark) and timed by the clock: React's render and commit,
 * then a forced style recalculation and layout, then the next frame drawn.
 * Returns the clock's ms at each step.
 */
async function timed(name: string, change: () => void): Promise<[number, number, number]> {
  performance.mark(`${name}:start`)
  const t0 = performance.now()
  flushSync(change)
  performance.mark(`${name}:rendered`)
  const t1 = performance.now()
  // Asking for a box makes the browser recalculate styles and lay out now.
  document.body.getBoundingClientRect()
  performance.mark(`${name}:laid-out`)
  const t2 = performance.now()
  await frame()
  performance.mark(`${name}:painted`)
  const t3 = performance.now()
  return [t1 - t0, t2 - t0, t3 - t0]
}

/** Waits until the browser has drawn a frame and gone back to its event loop. */
const frame = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

/** The clock's ms per run: render, render + layout, and until after the next frame. */
interface Clock {
  render: number[]
  layout: number[]
  painted: number[]
}
export interface Samples {
  /** No table, then the table with the first page's 50 rows. */
  mount: Clock
  /** The first page's rows replaced by the next page's. */
  next: Clock
}

async function run(iterations: number): Promise<Samples> {
  const clock = (): Clock => ({ render: [], layout: [], painted: [] })
  const out: Samples = { mount: clock(), next: clock() }
  const keep = (to: Clock, [r, l, p]: [number, number, number]) => {
    to.render.push(r)
    to.layout.push(l)
    to.painted.push(p)
  }
  for (let i = 0; i < iterations; i++) {
    show(null)
    await frame()
    keep(out.mount, await timed('mount', () => show(0)))
    keep(out.next, await timed('next', () => show(1)))
    performance.clearMarks()
  }
  show(null)
  await frame()
  return out
}

declare global {
  interface Window {
    flicketBench?: { run: typeof run; rows: number }
  }
}

const root = document.getElementById('root')
if (!root) throw new Error('no #root')
void i18nReady.then(() => {
  const router = createMemoryRouter([{ path: '*', element: <Bench /> }], {
    initialEntries: ['/tickets'],
  })
  createRoot(root).render(
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <RouterProvider router={router} />
    </MantineProvider>,
  )
  // Ready once the table's setter is in place (after the first commit's effects).
  const ready = () => {
    if (show === noop) requestAnimationFrame(ready)
    else window.flicketBench = { run, rows }
  }
  ready()
})

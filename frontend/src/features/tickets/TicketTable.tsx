/**
 * The triage table: one dense row per ticket, click-to-sort headers, a
 * checkbox per row (shift-click selects a range) and the outcome of the
 * last bulk change beside each row. Rows are plain elements, memoised, with
 * their texts made once per language and one listener for all of them, so
 * 50 of them draw within a frame (make bench-web: e2e/bench/list-render.mjs).
 */
import { memo, useMemo } from 'react'
import { Skeleton } from '@mantine/core'
import { IconChevronDown, IconChevronUp } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { useHref, useNavigate } from 'react-router'
import type { Ticket } from '../../api/types'
import { labelsFor } from '../../components/labels'
import { currentLanguage, type Language } from '../../i18n'
import { formatDateTimeCached, formatRelative, ticketNumber } from '../../i18n/format'
import type { SortKey } from './filters'
import classes from './TicketTable.module.css'

/** Joins class names, leaving out the missing. */
const cx = (...names: (string | undefined | false)[]) => names.filter(Boolean).join(' ')

/** One ticket's outcome in the last bulk change: ok, or why not. */
export interface RowOutcome {
  ok: boolean
  text: string
}

/** The sortable columns: the list's sort keys, ascending then descending, and the first click's. */
const columns = {
  number: { asc: 'ticketid', desc: 'ticketid_desc', first: 'desc' },
  title: { asc: 'title', desc: 'title_desc', first: 'asc' },
  requester: { asc: 'addedby', desc: 'addedby_desc', first: 'asc' },
  status: { asc: 'status', desc: 'status_desc', first: 'asc' },
  priority: { asc: 'priority', desc: 'priority_desc', first: 'desc' },
  assignee: { asc: 'assigned', desc: 'assigned_desc', first: 'asc' },
  department: {
    asc: 'department_category',
    desc: 'department_category_desc',
    first: 'asc',
  },
  updated: { asc: 'last_updated', desc: 'last_updated_desc', first: 'desc' },
} as const satisfies Record<string, { asc: SortKey; desc: SortKey; first: 'asc' | 'desc' }>
type Column = keyof typeof columns

/** The sort a click on a column's header asks for. */
export function nextSort(column: Column, current: SortKey): SortKey {
  const c = columns[column]
  if (current === c.asc) return c.desc
  if (current === c.desc) return c.asc
  return c.first === 'asc' ? c.asc : c.desc
}

/** Texts every row shows, made once per language: rows call no t() of their own. */
interface RowText {
  /** Seeded statuses' and priorities' names by id; others show their stored name. */
  status: Partial<Record<number, string>>
  priority: Partial<Record<number, string>>
  /** "Select ticket #{{number}}", split around the number. */
  select: [string, string]
  unassigned: string
  unread: string
  lang: Language
  /** The tickets' address in this app ("/tickets", under any base path). */
  href: string
}

interface Props {
  tickets: readonly Ticket[]
  /** Skeleton rows while the first page loads. */
  loading: boolean
  selected: ReadonlySet<number>
  onSelect: (id: number, checked: boolean, range: boolean) => void
  onSelectAll: (checked: boolean) => void
  sort: SortKey
  onSort: (sort: SortKey) => void
  outcomes: ReadonlyMap<number, RowOutcome>
  /** Now, for "2 h ago" (a prop, so rows are pure). */
  now: number
}

export function TicketTable({
  tickets,
  loading,
  selected,
  onSelect,
  onSelectAll,
  sort,
  onSort,
  outcomes,
  now,
}: Props) {
  const { t } = useTranslation()
  const lang = currentLanguage()
  const navigate = useNavigate()
  const href = useHref('/tickets')
  // One object per language: rows re-render only when their own data changes.
  const text = useMemo<RowText>(() => {
    const labels = labelsFor(t)
    const byId = (ids: number[], label: (id: number, name: string) => string) =>
      Object.fromEntries(ids.map((id) => [id, label(id, '')]))
    const mark = '\u0000'
    const [before = '', after = ''] = t('tickets.table.selectRow', { number: mark }).split(mark)
    return {
      status: byId([1, 2, 3, 4], labels.status),
      priority: byId([1, 2, 3], labels.priority),
      select: [before, after],
      unassigned: t('tickets.table.unassigned'),
      unread: t('unread.row'),
      lang,
      href,
    }
  }, [t, lang, href])
  const all = tickets.length > 0 && tickets.every((tk) => selected.has(tk.id))
  const some = !all && tickets.some((tk) => selected.has(tk.id))
  const hasOutcome = outcomes.size > 0

  const header = (column: Column, label: string, className: string) => {
    const c = columns[column]
    const dir = sort === c.asc ? 'ascending' : sort === c.desc ? 'descending' : undefined
    return (
      <th className={className} aria-sort={dir ?? 'none'} scope="col">
        <button
          type="button"
          className={classes.sort}
          data-testid={`sort-${column}`}
          onClick={() => onSort(nextSort(column, sort))}
        >
          {label}
          {dir === 'ascending' ? <IconChevronUp size={12} aria-hidden="true" /> : null}
          {dir === 'descending' ? <IconChevronDown size={12} aria-hidden="true" /> : null}
        </button>
      </th>
    )
  }

  return (
    <div className={classes.wrap}>
      <table className={classes.table} data-testid="ticket-table">
        <thead>
          <tr>
            <th className={classes.check} scope="col">
              <input
                type="checkbox"
                data-testid="select-all"
                aria-label={t('tickets.table.selectAll')}
                checked={all}
                ref={(el) => {
                  if (el) el.indeterminate = some
                }}
                onChange={(e) => onSelectAll(e.currentTarget.checked)}
              />
            </th>
            {header('number', t('tickets.table.number'), cx(classes.num))}
            {header('title', t('tickets.table.title'), cx(classes.title))}
            {header('requester', t('tickets.table.requester'), cx(classes.people, classes.wide))}
            {header('status', t('tickets.table.status'), cx(classes.status))}
            {header('priority', t('tickets.table.priority'), cx(classes.priority, classes.wide))}
            {header('assignee', t('tickets.table.assignee'), cx(classes.people, classes.wide))}
            {header('department', t('tickets.table.department'), cx(classes.dept, classes.wide))}
            {header('updated', t('tickets.table.updated'), cx(classes.updated))}
            {hasOutcome ? (
              <th className={classes.outcome} scope="col">
                {t('tickets.table.outcome')}
              </th>
            ) : null}
          </tr>
        </thead>
        {/* One listener for every row's checkbox and link: rows take no
            callback, so a re-render of the page leaves them alone. */}
        <tbody
          onClick={(e) => {
            const el = e.target
            if (!(el instanceof Element)) return
            const id = Number(el.closest('tr')?.dataset.id)
            if (!(id > 0)) return
            if (el instanceof HTMLInputElement && el.type === 'checkbox') {
              onSelect(id, el.checked, e.shiftKey)
              return
            }
            // A plain click on the ticket's link navigates in the app, as
            // react-router's Link does; other clicks are the browser's.
            const plain = e.button === 0 && !e.metaKey && !e.altKey && !e.ctrlKey && !e.shiftKey
            if (plain && !e.defaultPrevented && el.closest('a[data-shortcut="ticket"]')) {
              e.preventDefault()
              void navigate(`/tickets/${id}`)
            }
          }}
        >
          {loading
            ? Array.from({ length: 12 }, (_, i) => (
                <tr key={i} className={classes.skeleton} data-testid="ticket-row-skeleton">
                  <td colSpan={hasOutcome ? 10 : 9}>
                    <Skeleton height={14} radius="sm" />
                  </td>
                </tr>
              ))
            : tickets.map((tk) => (
                <Row
                  key={tk.id}
                  tk={tk}
                  checked={selected.has(tk.id)}
                  outcome={outcomes.get(tk.id)}
                  withOutcome={hasOutcome}
                  text={text}
                  now={now}
                />
              ))}
        </tbody>
      </table>
    </div>
  )
}

/** The table's listener acts on clicks; React only needs to know the box is controlled. */
const controlled = () => undefined

const Row = memo(function Row({
  tk,
  checked,
  outcome,
  withOutcome,
  text,
  now,
}: {
  tk: Ticket
  checked: boolean
  outcome: RowOutcome | undefined
  /** The outcome column is there only after a bulk change. */
  withOutcome: boolean
  text: RowText
  now: number
}) {
  const number = ticketNumber(tk.id)
  // The status and priority dots are the cells' backgrounds, coloured by these.
  return (
    <tr
      data-testid="ticket-row"
      data-id={tk.id}
      data-status={tk.status_id}
      data-priority={tk.ticket_priority_id}
      data-closed={tk.status_id === 2 ? '' : undefined}
      data-selected={checked ? '' : undefined}
      data-unread={tk.unread ? '' : undefined}
    >
      <td className={classes.check}>
        <input
          type="checkbox"
          data-testid="row-select"
          aria-label={text.select[0] + number + text.select[1]}
          checked={checked}
          onChange={controlled}
        />
      </td>
      <td className={classes.num}>{number}</td>
      <td className={classes.title} title={tk.title}>
        <a href={`${text.href}/${tk.id}`} data-testid="ticket-link" data-shortcut="ticket">
          {tk.unread ? <span className={classes.srOnly}>{text.unread} </span> : null}
          {tk.title}
        </a>
      </td>
      <td className={cx(classes.people, classes.wide)}>{tk.started_by?.name ?? ''}</td>
      <td className={classes.status} data-testid="ticket-row-status">
        {text.status[tk.status_id] ?? tk.status}
      </td>
      <td className={cx(classes.priority, classes.wide)}>
        {text.priority[tk.ticket_priority_id] ?? tk.priority}
      </td>
      <td className={cx(classes.people, classes.wide)}>
        {tk.assigned_to?.name ?? text.unassigned}
      </td>
      <td className={cx(classes.dept, classes.wide)} title={`${tk.department} / ${tk.category}`}>
        {tk.department}
      </td>
      <td className={classes.updated} title={formatDateTimeCached(tk.last_updated, text.lang)}>
        {formatRelative(tk.last_updated, now, text.lang)}
      </td>
      {withOutcome ? (
        <td
          className={cx(classes.outcome, outcome && (outcome.ok ? classes.ok : classes.failed))}
          data-testid={outcome ? 'row-outcome' : undefined}
          data-ok={outcome ? String(outcome.ok) : undefined}
        >
          {outcome?.text}
        </td>
      ) : null}
    </tr>
  )
})

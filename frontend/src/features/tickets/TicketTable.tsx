/**
 * The triage table: one dense row per ticket, click-to-sort headers, a
 * checkbox per row (shift-click selects a range) and the outcome of the
 * last bulk change beside each row. Rows are plain elements and memoised,
 * so 50 of them draw within a frame (make bench-web: e2e/bench/list-render.mjs).
 */
import { memo, useMemo } from 'react'
import { Skeleton } from '@mantine/core'
import { IconChevronDown, IconChevronUp } from '@tabler/icons-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
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

const statusDot: Record<number, string> = {
  1: 'var(--mantine-color-green-6)',
  2: 'var(--mantine-color-gray-6)',
  3: 'var(--mantine-color-blue-6)',
  4: 'var(--mantine-color-yellow-6)',
}
const priorityDot: Record<number, string> = {
  1: 'var(--mantine-color-gray-5)',
  2: 'var(--mantine-color-orange-6)',
  3: 'var(--mantine-color-red-7)',
}

interface RowText {
  status: (id: number, name: string) => string
  priority: (id: number, name: string) => string
  select: (number: string) => string
  unassigned: string
  unread: string
  lang: Language
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
  // One object per language: rows re-render only when their own data changes.
  const text = useMemo<RowText>(() => {
    const labels = labelsFor(t)
    return {
      status: (id, name) => labels.status(id, name),
      priority: (id, name) => labels.priority(id, name),
      select: (number) => t('tickets.table.selectRow', { number }),
      unassigned: t('tickets.table.unassigned'),
      unread: t('unread.row'),
      lang,
    }
  }, [t, lang])
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
      <table
        className={cx(classes.table, hasOutcome && classes.hasOutcome)}
        data-testid="ticket-table"
      >
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
            <th className={classes.outcome} scope="col">
              {hasOutcome ? t('tickets.table.outcome') : null}
            </th>
          </tr>
        </thead>
        {/* One listener for every row's checkbox: rows take no callback, so
            a re-render of the page leaves them alone. */}
        <tbody
          onClick={(e) => {
            const box = e.target
            if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return
            const id = Number(box.closest('tr')?.dataset.id)
            if (id > 0) onSelect(id, box.checked, e.shiftKey)
          }}
        >
          {loading
            ? Array.from({ length: 12 }, (_, i) => (
                <tr key={i} className={classes.skeleton} data-testid="ticket-row-skeleton">
                  <td colSpan={10}>
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
  text,
  now,
}: {
  tk: Ticket
  checked: boolean
  outcome: RowOutcome | undefined
  text: RowText
  now: number
}) {
  const number = ticketNumber(tk.id)
  const status = text.status(tk.status_id, tk.status)
  return (
    <tr
      data-testid="ticket-row"
      data-id={tk.id}
      data-closed={tk.status_id === 2 ? '' : undefined}
      data-selected={checked ? '' : undefined}
      data-unread={tk.unread ? '' : undefined}
    >
      <td className={classes.check}>
        <input
          type="checkbox"
          data-testid="row-select"
          aria-label={text.select(number)}
          checked={checked}
          onChange={controlled}
        />
      </td>
      <td className={classes.num}>{number}</td>
      <td className={classes.title} title={tk.title}>
        <Link to={`/tickets/${tk.id}`} data-testid="ticket-link" data-shortcut="ticket">
          {tk.unread ? <span className={classes.srOnly}>{text.unread} </span> : null}
          {tk.title}
        </Link>
      </td>
      <td className={cx(classes.people, classes.wide)}>{tk.started_by?.name ?? ''}</td>
      <td className={classes.status} data-testid="ticket-row-status">
        <span className={classes.dot} style={{ background: statusDot[tk.status_id] }} />
        {status}
      </td>
      <td className={cx(classes.priority, classes.wide)}>
        <span className={classes.dot} style={{ background: priorityDot[tk.ticket_priority_id] }} />
        {text.priority(tk.ticket_priority_id, tk.priority)}
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
      <td
        className={cx(classes.outcome, outcome && (outcome.ok ? classes.ok : classes.failed))}
        data-testid={outcome ? 'row-outcome' : undefined}
        data-ok={outcome ? String(outcome.ok) : undefined}
      >
        {outcome?.text}
      </td>
    </tr>
  )
})

import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react'
import {
  Anchor,
  Button,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useUser } from '../../app/session'
import { api, unwrap } from '../../api/client'
import { ApiError, errorMessage } from '../../api/errors'
import {
  options,
  useCategories,
  useDepartments,
  usePriorities,
  useStatuses,
} from '../../api/lookups'
import { ErrorBanner } from '../../components/ErrorBanner'
import { useLabels } from '../../components/labels'
import { Pagination } from '../../components/Pagination'
import { UserPicker } from '../../components/UserPicker'
import { listTickets, ticketKeys } from './api'
import { SavedViewsMenu } from './SavedViews'
import { BulkBar, type BulkPatch, type BulkResult } from './BulkBar'
import {
  apiQuery,
  exportUrl,
  filtersToParams,
  isFiltered,
  parseFilters,
  sortKeys,
  updateFilters,
  type Filters,
} from './filters'
import { TicketTable, type RowOutcome } from './TicketTable'

const toId = (v: string | null) => (v ? Number(v) : null)

function useUserName(id: number | null) {
  return useQuery({
    queryKey: ['user', id],
    queryFn: () => unwrap(api.GET('/flicket-api/user/{id}', { params: { path: { id: id ?? 0 } } })),
    enabled: id !== null,
    staleTime: 60_000,
    select: (u) => `${u.name} (${u.username})`,
  })
}

export function TicketListPage() {
  const { t } = useTranslation()
  const labels = useLabels()
  const user = useUser()
  const qc = useQueryClient()
  const [params, setParams] = useSearchParams()
  const filters = parseFilters(params)
  const set = (change: Partial<Filters>) =>
    setParams(filtersToParams(updateFilters(filters, change)))
  // Either pager: the next page starts at its top.
  const goToPage = (page: number) => {
    set({ page })
    window.scrollTo({ top: 0 })
  }
  const advanced = advancedCount(filters)
  // On a phone the open/closed switch moves into "more filters", which
  // starts closed; on a wider screen it starts open when it holds a filter.
  const phone = useMediaQuery(phoneQuery, matchMedia(phoneQuery).matches)
  const [more, setMore] = useState(() => advanced > 0 && !matchMedia(phoneQuery).matches)

  const departments = useDepartments()
  const categories = useCategories(filters.department_id, more && filters.department_id !== null)
  const statuses = useStatuses()
  const priorities = usePriorities()
  const userName = useUserName(more ? filters.user_id : null)
  const assignedName = useUserName(more ? filters.assigned_id : null)
  const createdName = useUserName(more ? filters.created_id : null)

  const q = apiQuery(filters)
  const list = useQuery({
    queryKey: ticketKeys.list(q, filters.page),
    queryFn: () => listTickets(q, filters.page),
    placeholderData: keepPreviousData,
  })
  const meta = list.data?._meta
  // Past the last page (an old link, ?page=999): go to the last one.
  const lastPage = meta?.total_pages ?? 0
  const pastEnd = !list.isPlaceholderData && lastPage > 0 && filters.page > lastPage
  useEffect(() => {
    if (pastEnd) {
      setParams(filtersToParams(updateFilters(filters, { page: lastPage })), { replace: true })
    }
  }, [pastEnd, lastPage, filters, setParams])
  // Rows of the previous filters, shown while the new ones load.
  const stale = list.isPlaceholderData || pastEnd
  const items = useMemo(() => list.data?.items ?? [], [list.data])

  // Selection and the last bulk change's outcomes belong to one page of
  // one list: another page or filter starts afresh.
  const listKey = params.toString()
  const [selection, setSelection] = useState<{ key: string; ids: ReadonlySet<number> }>({
    key: listKey,
    ids: new Set(),
  })
  const [outcomes, setOutcomes] = useState<{ key: string; map: ReadonlyMap<number, RowOutcome> }>({
    key: listKey,
    map: new Map(),
  })
  const selected = selection.key === listKey ? selection.ids : emptySet
  const rowOutcomes = outcomes.key === listKey ? outcomes.map : emptyMap
  const anchor = useRef<number | null>(null)
  // A click, or a shift-click from the last clicked row (a range).
  const onSelect = (id: number, checked: boolean, range: boolean) => {
    const next = new Set(selected)
    const order = items.map((tk) => tk.id)
    const from = anchor.current === null ? -1 : order.indexOf(anchor.current)
    const to = order.indexOf(id)
    if (range && from >= 0 && to >= 0) {
      for (const x of order.slice(Math.min(from, to), Math.max(from, to) + 1)) {
        if (checked) next.add(x)
        else next.delete(x)
      }
    } else if (checked) next.add(id)
    else next.delete(id)
    anchor.current = id
    setSelection({ key: listKey, ids: next })
  }
  const onSelectAll = (checked: boolean) =>
    setSelection({ key: listKey, ids: checked ? new Set(items.map((tk) => tk.id)) : new Set() })
  const onBulkDone = (results: BulkResult[], patch: BulkPatch) => {
    const map = new Map<number, RowOutcome>()
    for (const r of results) {
      map.set(r.id, {
        ok: r.ok,
        text: r.ok
          ? t('tickets.bulk.done')
          : errorMessage(new ApiError(0, r.code ?? '', r.message ?? ''), t),
      })
    }
    setOutcomes({ key: listKey, map })
    // The refused stay selected, to try something else on them.
    setSelection({ key: listKey, ids: new Set(results.filter((r) => !r.ok).map((r) => r.id)) })
    // The rows show their new values and stay where they are (a closed
    // ticket does not vanish from under its outcome); the lists are
    // reloaded when next shown.
    const done = new Set(results.filter((r) => r.ok).map((r) => r.id))
    qc.setQueryData(ticketKeys.list(q, filters.page), (old: typeof list.data) =>
      old ? { ...old, items: old.items.map((tk) => (done.has(tk.id) ? patch(tk) : tk)) } : old,
    )
    void qc.invalidateQueries({ queryKey: ticketKeys.all, refetchType: 'none' })
    void qc.invalidateQueries({ queryKey: ['ticket'], refetchType: 'none' })
  }
  // "2 h ago" moves on once a minute.
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(h)
  }, [])

  const heading = listHeading(filters, user.id, t)
  const stateControl = (
    <SegmentedControl
      size="xs"
      data-testid="filter-state"
      value={filters.state}
      onChange={(v) => set({ state: v })}
      data={[
        { value: 'open', label: t('tickets.stateOpen') },
        { value: 'closed', label: t('tickets.stateClosed') },
        { value: 'all', label: t('tickets.stateAll') },
      ]}
    />
  )

  return (
    <Stack gap="xs">
      {/* One line: the heading, search, open/closed, more filters, actions. */}
      <Group justify="space-between" gap="xs" wrap="wrap" align="center">
        <Title order={1} size="h3">
          {heading}
        </Title>
        <Group
          gap="xs"
          wrap="wrap"
          component="section"
          aria-label={t('tickets.filters')}
          style={{ flex: '1 1 320px', justifyContent: 'flex-end' }}
        >
          <SearchBox value={filters.q} onSearch={(q) => set({ q })} />
          {phone ? null : stateControl}
          <Button
            size="xs"
            variant={more ? 'light' : 'default'}
            data-testid="more-filters"
            aria-expanded={more}
            aria-controls="more-filters-panel"
            onClick={() => setMore((o) => !o)}
          >
            {advanced > 0
              ? t('tickets.moreFiltersCount', { count: advanced })
              : t('tickets.moreFilters')}
          </Button>
          {isFiltered(filters) ? (
            <Anchor component={Link} to="/tickets" data-testid="filter-reset" size="sm">
              {t('tickets.resetFilters')}
            </Anchor>
          ) : null}
          {phone ? null : (
            <Button
              size="xs"
              component="a"
              href={exportUrl(filters)}
              variant="default"
              data-testid="export-csv"
              download
            >
              {t('tickets.exportCsv')}
            </Button>
          )}
          <SavedViewsMenu />
          <Button size="xs" component={Link} to="/tickets/new" data-testid="new-ticket">
            {t('tickets.new')}
          </Button>
        </Group>
      </Group>

      {more ? (
        <Paper withBorder p="sm" id="more-filters-panel" data-testid="more-filters-panel">
          <Stack gap="sm">
            <Group gap="sm" wrap="wrap">
              {phone ? stateControl : null}
              <SegmentedControl
                size="xs"
                data-testid="filter-view"
                value={filters.view}
                onChange={(v) => set({ view: v })}
                data={[
                  { value: 'all', label: t('tickets.viewAll') },
                  { value: 'mine', label: t('tickets.viewMine') },
                  { value: 'subscribed', label: t('tickets.viewSubscribed') },
                  { value: 'waiting', label: t('dashboard.waitingOnMe') },
                ]}
              />
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
              <Select
                label={t('tickets.department')}
                data-testid="filter-department"
                clearable
                value={filters.department_id ? String(filters.department_id) : null}
                onChange={(v) => set({ department_id: toId(v) })}
                data={options(departments.data, (d) => d.department)}
              />
              <Select
                label={t('tickets.category')}
                data-testid="filter-category"
                clearable
                disabled={filters.department_id === null}
                placeholder={
                  filters.department_id === null ? t('tickets.pickDepartmentFirst') : undefined
                }
                value={filters.category_id ? String(filters.category_id) : null}
                onChange={(v) => set({ category_id: toId(v) })}
                data={options(categories.data, (c) => c.category)}
              />
              <Select
                label={t('tickets.status')}
                data-testid="filter-status"
                clearable
                value={filters.status_id ? String(filters.status_id) : null}
                onChange={(v) => set({ status_id: toId(v) })}
                data={options(statuses.data, (s) => labels.status(s.id, s.status))}
              />
              <Select
                label={t('tickets.priority')}
                data-testid="filter-priority"
                clearable
                value={filters.priority_id ? String(filters.priority_id) : null}
                onChange={(v) => set({ priority_id: toId(v) })}
                data={options(priorities.data, (p) => labels.priority(p.id, p.priority))}
              />
              <UserPicker
                key={`u${filters.user_id ?? 0}${userName.data ?? ''}`}
                label={t('tickets.user')}
                testId="filter-user"
                clearable
                initialText={userName.data ?? ''}
                onPick={(u) => set({ user_id: u?.id ?? null })}
              />
              <UserPicker
                key={`a${filters.assigned_id ?? 0}${assignedName.data ?? ''}`}
                label={t('tickets.assignedTo')}
                testId="filter-assigned"
                clearable
                initialText={assignedName.data ?? ''}
                onPick={(u) => set({ assigned_id: u?.id ?? null })}
              />
              <UserPicker
                key={`c${filters.created_id ?? 0}${createdName.data ?? ''}`}
                label={t('tickets.createdBy')}
                testId="filter-created"
                clearable
                initialText={createdName.data ?? ''}
                onPick={(u) => set({ created_id: u?.id ?? null })}
              />
              <Select
                label={t('tickets.sort')}
                data-testid="filter-sort"
                value={filters.sort}
                allowDeselect={false}
                comboboxProps={{ width: 'max-content' }}
                onChange={(v) => {
                  if (v) set({ sort: v })
                }}
                data={sortKeys.map((k) => ({ value: k, label: t(`sort.${k}`) }))}
              />
            </SimpleGrid>
            {phone ? (
              <Anchor href={exportUrl(filters)} download size="sm">
                {t('tickets.exportCsv')}
              </Anchor>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      <ErrorBanner error={list.error} />
      {/* A thin bar while the list loads: the page is working. */}
      <Progress
        value={100}
        size={3}
        animated
        aria-label={t('common.loading')}
        data-testid="list-progress"
        style={{ visibility: list.isFetching ? 'visible' : 'hidden' }}
      />
      <div
        data-testid="ticket-list"
        aria-busy={list.isFetching}
        data-stale={stale ? 'true' : undefined}
        style={{ opacity: stale ? 0.45 : 1, transition: 'opacity 150ms' }}
      >
        <TicketTable
          tickets={items}
          loading={list.isPending}
          selected={selected}
          onSelect={onSelect}
          onSelectAll={onSelectAll}
          sort={filters.sort}
          onSort={(sort) => set({ sort })}
          outcomes={rowOutcomes}
          now={now}
        />
        {list.data?.items.length === 0 && !stale ? (
          <Text c="dimmed" mt="sm" data-testid="ticket-list-empty">
            {t('tickets.none')}
          </Text>
        ) : null}
      </div>
      {selected.size > 0 ? (
        <BulkBar
          ids={items.filter((tk) => selected.has(tk.id)).map((tk) => tk.id)}
          onDone={onBulkDone}
          onClear={() => setSelection({ key: listKey, ids: new Set() })}
        />
      ) : null}
      <Pagination meta={meta} onChange={goToPage} />
    </Stack>
  )
}

const phoneQuery = '(max-width: 48em)'
const emptySet: ReadonlySet<number> = new Set()
const emptyMap: ReadonlyMap<number, RowOutcome> = new Map()

/** How many filters the "more filters" panel holds are set. */
function advancedCount(f: Filters): number {
  const keys = [
    f.view !== 'all',
    f.department_id,
    f.category_id,
    f.status_id,
    f.priority_id,
    f.user_id,
    f.assigned_id,
    f.created_id,
  ]
  return keys.filter((k) => k !== null && k !== false).length
}

/**
 * The list's title: what the filters show when they are one of the menu's
 * queues ("Assigned to me", "Created by me"), else "Tickets".
 */
function listHeading(f: Filters, userId: number, t: (k: string) => string): string {
  // The state tab and the order do not change which queue this is.
  const base = filtersToParams({ ...f, page: 1 })
  base.delete('sort')
  base.delete('state')
  const is = (q: string) => base.toString() === q
  if (is('view=mine')) return t('tickets.myTickets')
  if (is('view=subscribed')) return t('tickets.subscribedTickets')
  if (is('view=waiting')) return t('dashboard.waitingOnMe')
  if (is(`assigned_id=${userId}`)) return t('tickets.assignedToMe')
  if (is(`created_id=${userId}`)) return t('tickets.createdByMe')
  return t('tickets.title')
}

/**
 * The search box applies on Enter or after a pause in typing. It is never
 * rebuilt when its search fires: the typing goes on, focus and all, while
 * the list reloads. A query changed elsewhere (reset, back button) is shown.
 */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation()
  const [text, setText] = useState(value)
  // The URL's query as last seen, and the last one this box sent.
  const [seen, setSeen] = useState(value)
  const [sent, setSent] = useState(value)
  if (value !== seen) {
    setSeen(value)
    if (value.trim() !== sent.trim()) {
      setText(value)
      setSent(value)
    }
  }
  const search = (q: string) => {
    setSent(q)
    onSearch(q)
  }
  // The page's handler changes every render; the pause must not restart.
  const fire = useEffectEvent(search)
  useEffect(() => {
    if (text.trim() === value.trim()) return
    const h = setTimeout(() => fire(text), 500)
    return () => clearTimeout(h)
  }, [text, value])
  return (
    <TextInput
      size="xs"
      aria-label={t('tickets.search')}
      placeholder={t('tickets.searchPlaceholder')}
      style={{ flex: '1 1 200px', maxWidth: 340 }}
      value={text}
      type="search"
      data-testid="filter-q"
      onChange={(e) => setText(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') search(text)
      }}
    />
  )
}

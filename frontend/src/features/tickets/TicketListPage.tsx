import { useEffect, useEffectEvent, useState } from 'react'
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useUser } from '../../app/session'
import { api, unwrap } from '../../api/client'
import {
  options,
  useCategories,
  useDepartments,
  usePriorities,
  useStatuses,
} from '../../api/lookups'
import type { Ticket } from '../../api/types'
import { ErrorBanner } from '../../components/ErrorBanner'
import { priorityColor, statusColor, statusMuted, useLabels } from '../../components/labels'
import { Pagination } from '../../components/Pagination'
import { UserPicker } from '../../components/UserPicker'
import { formatDate, formatNumber, ticketNumber } from '../../i18n/format'
import { listTickets, ticketKeys } from './api'
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
  const [params, setParams] = useSearchParams()
  const filters = parseFilters(params)
  const set = (change: Partial<Filters>) =>
    setParams(filtersToParams(updateFilters(filters, change)))
  // Either pager: the next page starts at its top.
  const goToPage = (page: number) => {
    set({ page })
    window.scrollTo({ top: 0 })
  }

  const departments = useDepartments()
  const categories = useCategories(filters.department_id, filters.department_id !== null)
  const statuses = useStatuses()
  const priorities = usePriorities()
  const userName = useUserName(filters.user_id)
  const assignedName = useUserName(filters.assigned_id)
  const createdName = useUserName(filters.created_id)

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

  const heading = listHeading(filters, user.id, t)

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {heading}
        </Title>
        <Group gap="xs">
          <Button component={Link} to="/tickets/new" data-testid="new-ticket">
            {t('tickets.new')}
          </Button>
          <Button
            component="a"
            href={exportUrl(filters)}
            variant="default"
            data-testid="export-csv"
            download
          >
            {t('tickets.exportCsv')}
          </Button>
        </Group>
      </Group>

      <Paper withBorder p="sm" component="section" aria-label={t('tickets.filters')}>
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap">
            <SegmentedControl
              data-testid="filter-state"
              value={filters.state}
              onChange={(v) => set({ state: v })}
              data={[
                { value: 'open', label: t('tickets.stateOpen') },
                { value: 'closed', label: t('tickets.stateClosed') },
                { value: 'all', label: t('tickets.stateAll') },
              ]}
            />
            <SegmentedControl
              data-testid="filter-view"
              value={filters.view}
              onChange={(v) => set({ view: v })}
              data={[
                { value: 'all', label: t('tickets.viewAll') },
                { value: 'mine', label: t('tickets.viewMine') },
                { value: 'subscribed', label: t('tickets.viewSubscribed') },
              ]}
            />
          </Group>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            <SearchBox value={filters.q} onSearch={(q) => set({ q })} />
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
          </SimpleGrid>
          <Group justify="space-between" align="flex-end">
            <Select
              label={t('tickets.sort')}
              data-testid="filter-sort"
              value={filters.sort}
              allowDeselect={false}
              onChange={(v) => {
                if (v) set({ sort: v })
              }}
              data={sortKeys.map((k) => ({ value: k, label: t(`sort.${k}`) }))}
              // Wide enough for the longest label ("Priorité, la plus haute
              // d'abord"), and its list as wide as its labels.
              w={{ base: '100%', xs: '22rem' }}
              comboboxProps={{ width: 'max-content' }}
            />
            {isFiltered(filters) ? (
              <Anchor component={Link} to="/tickets" data-testid="filter-reset">
                {t('tickets.resetFilters')}
              </Anchor>
            ) : null}
          </Group>
        </Stack>
      </Paper>

      <ErrorBanner error={list.error} />
      <Pagination meta={meta} onChange={goToPage} />
      {/* A thin bar while the list loads: the page is working. */}
      <Progress
        value={100}
        size={3}
        animated
        aria-label={t('common.loading')}
        data-testid="list-progress"
        style={{ visibility: list.isFetching ? 'visible' : 'hidden' }}
      />
      <Stack
        gap="xs"
        data-testid="ticket-list"
        aria-busy={list.isFetching}
        data-stale={stale ? 'true' : undefined}
        style={{ opacity: stale ? 0.45 : 1, transition: 'opacity 150ms' }}
      >
        {list.isPending
          ? Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} height={74} radius="sm" data-testid="ticket-row-skeleton" />
            ))
          : null}
        {list.data?.items.length === 0 && !stale ? (
          <Text c="dimmed" data-testid="ticket-list-empty">
            {t('tickets.none')}
          </Text>
        ) : null}
        {(list.data?.items ?? []).map((tk) => (
          <TicketRow key={tk.id} ticket={tk} />
        ))}
      </Stack>
      <Pagination meta={meta} onChange={goToPage} />
    </Stack>
  )
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
  if (is(`assigned_id=${userId}`)) return t('tickets.assignedToMe')
  if (is(`created_id=${userId}`)) return t('tickets.createdByMe')
  return t('tickets.title')
}

function TicketRow({ ticket: tk }: { ticket: Ticket }) {
  const { t } = useTranslation()
  const labels = useLabels()
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="ticket-row"
      // Closed tickets sit on grey, their text as legible as the others'.
      bg={statusMuted(tk.status_id) ? 'gray.1' : undefined}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Anchor
          component={Link}
          to={`/tickets/${tk.id}`}
          fw={600}
          data-testid="ticket-link"
          data-shortcut="ticket"
          style={{ overflowWrap: 'anywhere', minWidth: 0 }}
        >
          {`#${ticketNumber(tk.id)} ${tk.title}`}
        </Anchor>
        <Group gap={4}>
          <Badge color={priorityColor(tk.ticket_priority_id)} variant="dot">
            {labels.priority(tk.ticket_priority_id, tk.priority)}
          </Badge>
          <Badge color={statusColor(tk.status_id)} data-testid="ticket-row-status">
            {labels.status(tk.status_id, tk.status)}
          </Badge>
        </Group>
      </Group>
      <Group gap="md" mt={4} wrap="wrap">
        <Text size="sm" c="dimmed">{`${tk.department} / ${tk.category}`}</Text>
        <Text size="sm" c="dimmed">
          {t('tickets.submittedBy', {
            name: tk.started_by?.name ?? '?',
            date: formatDate(tk.date_added),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('tickets.updated', { date: formatDate(tk.last_updated) })}
        </Text>
        <Text size="sm" c="dimmed">
          {tk.assigned_to
            ? t('tickets.assignedName', { name: tk.assigned_to.name })
            : t('tickets.unassigned')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('tickets.replies', { count: tk.num_replies })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('tickets.hours', { hours: formatNumber(tk.total_hours) })}
        </Text>
      </Group>
    </Paper>
  )
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
      label={t('tickets.search')}
      placeholder={t('tickets.searchPlaceholder')}
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

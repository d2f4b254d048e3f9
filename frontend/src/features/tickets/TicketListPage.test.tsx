import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, ticketFixture } from '../../test/fixtures'
import { renderApp } from '../../test/app'
import { mockApi } from '../../test/render'

const me = meFixture({ id: 7, username: 'tess' })
const rows = (n: number) => Array.from({ length: n }, (_, i) => ticketFixture({ id: i + 1 }))

describe('TicketListPage', () => {
  it('keeps the search box, its focus and text, while its search runs', async () => {
    const calls = mockApi({ 'GET /flicket-api/tickets/': [200, pageOf(rows(2))] })
    renderApp('/tickets', me)
    const box = await screen.findByTestId('filter-q')
    box.focus()
    fireEvent.change(box, { target: { value: 'printer' } })
    await waitFor(() => expect(calls.some((c) => c.query.get('q') === 'printer')).toBe(true), {
      timeout: 3000,
    })
    // The box was not rebuilt: same element, still focused, typing goes on.
    expect(screen.getByTestId('filter-q')).toBe(box)
    expect(box).toHaveFocus()
    fireEvent.change(box, { target: { value: 'printer blank' } })
    await waitFor(
      () => expect(calls.some((c) => c.query.get('q') === 'printer blank')).toBe(true),
      { timeout: 3000 },
    )
    expect(box).toHaveValue('printer blank')
  })

  it('shows skeletons first, and marks old rows stale while a filter loads', async () => {
    // Every request waits until released (the layout's own requests, the
    // queue counts and the bell, wait beside the list's).
    const pending: (() => void)[] = []
    const release = () => pending.splice(0).forEach((r) => r())
    mockApi({
      'GET /flicket-api/tickets/': () => [200, pageOf(rows(3))],
    })
    const mocked = globalThis.fetch
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      await new Promise<void>((r) => pending.push(r))
      return mocked(input, init)
    }
    renderApp('/tickets', me)
    expect((await screen.findAllByTestId('ticket-row-skeleton')).length).toBeGreaterThan(0)
    await waitFor(() => release())
    // Let every pending request through until the rows show.
    await waitFor(() => {
      release()
      expect(screen.getAllByTestId('ticket-row')).toHaveLength(3)
    })
    act(() => screen.getByText('Closed').click())
    await waitFor(() =>
      expect(screen.getByTestId('ticket-list')).toHaveAttribute('data-stale', 'true'),
    )
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(3)
    await waitFor(() => {
      release()
      expect(screen.getByTestId('ticket-list')).not.toHaveAttribute('data-stale')
    })
  })

  it('goes to the last page when asked for one past the end', async () => {
    const calls = mockApi({
      'GET /flicket-api/tickets/': (url) => {
        const page = Number(url.searchParams.get('page'))
        return [200, pageOf(rows(1), { page, total_pages: 3, total_items: 101 })]
      },
    })
    renderApp('/tickets?page=999', me)
    await waitFor(() => expect(calls.some((c) => c.query.get('page') === '3')).toBe(true))
    // One pager, under the table.
    expect(await screen.findAllByText('Page 3 of 3 (101 items)')).toHaveLength(1)
  })

  it('selects rows, a range with shift, and shows each row its bulk outcome', async () => {
    const calls = mockApi({
      'GET /flicket-api/tickets/': [200, pageOf(rows(5))],
      'POST /flicket-api/tickets/bulk': (_url, body) => {
        const ids = (body as { ids: number[] }).ids
        return [
          200,
          {
            results: ids.map((id) =>
              id === 2
                ? { id, ok: false, code: 'forbidden', message: 'Not yours.' }
                : { id, ok: true },
            ),
          },
        ]
      },
    })
    renderApp('/tickets', me)
    const boxes = await screen.findAllByTestId('row-select')
    expect(screen.queryByTestId('bulk-bar')).toBeNull()
    fireEvent.click(boxes[0]!)
    fireEvent.click(boxes[3]!, { shiftKey: true })
    expect(screen.getByTestId('bulk-count')).toHaveTextContent('4 selected')
    fireEvent.click(screen.getByTestId('bulk-close'))
    await waitFor(() => expect(screen.getAllByTestId('row-outcome')).toHaveLength(4))
    const sent = calls.find((c) => c.method === 'POST')
    expect(sent?.body).toEqual({ ids: [1, 2, 3, 4], action: 'close' })
    const outcomes = screen.getAllByTestId('row-outcome')
    expect(outcomes.map((o) => o.getAttribute('data-ok'))).toEqual([
      'true',
      'false',
      'true',
      'true',
    ])
    expect(outcomes[0]).toHaveTextContent('Done')
    // The refused one stays selected, to try something else.
    expect(screen.getByTestId('bulk-count')).toHaveTextContent('1 selected')
    // Select all on the page, then none.
    const all = screen.getByTestId('select-all')
    fireEvent.click(all)
    expect(screen.getByTestId('bulk-count')).toHaveTextContent('5 selected')
    fireEvent.click(all)
    expect(screen.queryByTestId('bulk-bar')).toBeNull()
  })

  it('sorts by a column header, and again the other way', async () => {
    const calls = mockApi({ 'GET /flicket-api/tickets/': [200, pageOf(rows(2))] })
    renderApp('/tickets', me)
    fireEvent.click(await screen.findByTestId('sort-title'))
    await waitFor(() => expect(calls.some((c) => c.query.get('sort') === 'title')).toBe(true))
    expect(screen.getByTestId('sort-title').closest('th')).toHaveAttribute('aria-sort', 'ascending')
    fireEvent.click(screen.getByTestId('sort-title'))
    await waitFor(() => expect(calls.some((c) => c.query.get('sort') === 'title_desc')).toBe(true))
    expect(screen.getByTestId('sort-title').closest('th')).toHaveAttribute(
      'aria-sort',
      'descending',
    )
  })

  it.each([
    ['/tickets?assigned_id=7', 'Assigned to me'],
    ['/tickets?created_id=7&state=closed', 'Created by me'],
    ['/tickets?view=mine', 'My tickets'],
    ['/tickets?assigned_id=8', 'Tickets'],
    ['/tickets?assigned_id=7&priority_id=3', 'Tickets'],
  ])('%s is titled %s', async (url, title) => {
    mockApi({ 'GET /flicket-api/tickets/': [200, pageOf([])] })
    renderApp(url, me)
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(title)
  })
})

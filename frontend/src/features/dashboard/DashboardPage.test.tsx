import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Schema } from '../../api/types'
import { meFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { chartData } from './chart'
import { DashboardPage } from './DashboardPage'

type Stats = Schema<'Stats'>

const summary = (o: Partial<Schema<'TicketSummary'>>): Schema<'TicketSummary'> => ({
  assigned_to: null,
  category: 'Internet',
  date_added: 'Thu, 26 Nov 2026 17:58:16 GMT',
  department: 'IT',
  id: 1,
  last_updated: 'Thu, 26 Nov 2026 17:58:16 GMT',
  links: { self: '' },
  num_replies: 0,
  number: '00001',
  priority: 'high',
  started_by: null,
  status: 'Open',
  title: 'Printer',
  total_hours: 0,
  ...o,
})

const stats: Stats = {
  statuses: [
    { id: 1, status: 'Open' },
    { id: 3, status: 'In Work' },
  ],
  departments: [
    {
      department: 'IT',
      department_id: 1,
      total: 3,
      statuses: [
        { status_id: 1, status: 'Open', count: 2 },
        { status_id: 3, status: 'In Work', count: 1 },
      ],
    },
    {
      department: 'Quality',
      department_id: 2,
      total: 0,
      statuses: [{ status_id: 1, status: 'Open', count: 0 }],
    },
    {
      department: 'Garage',
      department_id: 9,
      total: 1,
      statuses: [{ status_id: 5, status: 'Waiting for parts', count: 1 }],
    },
  ],
  high_priority_open: [
    summary({
      id: 42,
      title: 'Intranet down',
      assigned_to: { id: 7, name: 'Tess Tech', username: 'tess' },
    }),
    summary({ id: 43, title: 'Heating off', department: 'Facilities', category: 'Heating' }),
  ],
}

const show = (body: Stats) => {
  mockApi({ 'GET /flicket-api/stats': [200, body] })
  renderPage(<DashboardPage />, { user: meFixture() })
}

describe('chartData', () => {
  it('makes one row per department with tickets and one series per status, translated', () => {
    const label = (id: number | undefined, name: string | undefined) =>
      id === 3 ? 'In work' : (name ?? '')
    expect(chartData(stats, label)).toEqual({
      series: ['Open', 'In work', 'Waiting for parts'],
      rows: [
        { department: 'IT', total: 3, Open: 2, 'In work': 1 },
        { department: 'Garage', total: 1, 'Waiting for parts': 1 },
      ],
    })
    expect(chartData(undefined, label)).toEqual({ rows: [], series: [] })
  })
})

describe('DashboardPage', () => {
  it('lists the open high-priority tickets, each linking to it', async () => {
    show(stats)
    const table = await screen.findByTestId('high-priority')
    const link = await within(table).findByRole('link', { name: '#00042 Intranet down' })
    expect(link).toHaveAttribute('href', '/tickets/42')
    const row = (name: string) => within(within(table).getByRole('link', { name }).closest('tr')!)
    expect(row('#00042 Intranet down').getByText('IT / Internet')).toBeInTheDocument()
    expect(row('#00042 Intranet down').getByText('Tess Tech')).toBeInTheDocument()
    expect(row('#00043 Heating off').getByText('Facilities / Heating')).toBeInTheDocument()
    expect(row('#00043 Heating off').getByText('Not assigned')).toBeInTheDocument()
    expect(row('#00043 Heating off').getByText('Nov 26, 2026')).toBeInTheDocument()
  })

  it('totals the tickets of each department that has some', async () => {
    show(stats)
    expect(await screen.findByText('3 tickets')).toBeInTheDocument()
    expect(screen.getByText('1 ticket')).toBeInTheDocument()
    expect(screen.queryByText('Quality')).toBeNull()
    expect(await screen.findByTestId('stats-chart')).toBeInTheDocument()
  })

  it('says when there is nothing to show', async () => {
    show({ statuses: [], departments: [], high_priority_open: [] })
    expect(await screen.findByText('No open high-priority tickets.')).toBeInTheDocument()
    expect(screen.getByText('No tickets yet.')).toBeInTheDocument()
    expect(screen.queryByTestId('stats-chart')).toBeNull()
  })

  it('shows an error instead of the chart when the statistics fail', async () => {
    mockApi({
      'GET /flicket-api/stats': [
        403,
        { error: 'Forbidden', code: 'forbidden', message: 'x', errors: [] },
      ],
    })
    renderPage(<DashboardPage />, { user: meFixture() })
    expect(await screen.findByTestId('error-banner')).toHaveTextContent(
      'You are not allowed to do this.',
    )
    expect(screen.queryByTestId('stats-chart')).toBeNull()
  })
})

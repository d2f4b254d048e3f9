// Rendering 50 rows of the triage table (issue 13, point 2: target under
// 16 ms of main-thread work). A benchmark, not a timed test: `make bench-web`
// runs it and prints the figures. jsdom does no layout or paint, so this is
// React's and the DOM's share of the work, on the machine's load of the moment.
import { MantineProvider } from '@mantine/core'
import { cleanup, render } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { bench, describe } from 'vitest'
import { ticketFixture } from '../../test/fixtures'
import { TicketTable } from './TicketTable'

const now = Date.parse('2026-12-06T12:00:00Z')
const tickets = Array.from({ length: 50 }, (_, i) =>
  ticketFixture({
    id: 1000 + i,
    title: `Printer on floor ${i} prints blank pages after the driver update`,
    date_added: new Date(now - i * 3_600_000).toUTCString(),
  }),
)
const none = new Set<number>()
const noOutcomes = new Map()
const noop = () => undefined

describe('triage table', () => {
  bench(
    'render 50 rows',
    () => {
      render(
        <MantineProvider env="test">
          <MemoryRouter>
            <TicketTable
              tickets={tickets}
              loading={false}
              selected={none}
              onSelect={noop}
              onSelectAll={noop}
              sort="last_updated_desc"
              onSort={noop}
              outcomes={noOutcomes}
              now={now}
            />
          </MemoryRouter>
        </MantineProvider>,
      )
      cleanup()
    },
    { time: 3000, warmupTime: 1000 },
  )
})

import type { ReactNode } from 'react'
import { Table } from '@mantine/core'

interface Props {
  /** The header row's cells. */
  columns: ReactNode[]
  /** Below this width the table scrolls sideways instead of squeezing. */
  minWidth: number
  testId?: string
  /** The body's rows. */
  children: ReactNode
}

/** A striped list table with a header row (users, the mail outbox). */
export function DataTable({ columns, minWidth, testId, children }: Props) {
  return (
    // Focusable so keyboard users can scroll it sideways when it overflows (axe:
    // scrollable-region-focusable).
    <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

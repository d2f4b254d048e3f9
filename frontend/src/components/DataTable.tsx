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
    <Table.ScrollContainer minWidth={minWidth}>
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

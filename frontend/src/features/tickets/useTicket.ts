import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getTicket, ticketKeys } from './api'

export function useTicket(id: number) {
  return useQuery({ queryKey: ticketKeys.one(id), queryFn: () => getTicket(id), enabled: id > 0 })
}

/** Refreshes everything shown about a ticket after a change. */
export function useInvalidateTicket(id: number) {
  const qc = useQueryClient()
  return () => {
    void qc.invalidateQueries({ queryKey: ['ticket', id] })
    void qc.invalidateQueries({ queryKey: ['posts', id] })
    void qc.invalidateQueries({ queryKey: ['tickets'] })
  }
}

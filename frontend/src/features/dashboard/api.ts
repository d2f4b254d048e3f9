import { api, unwrap } from '../../api/client'

export const getStats = () => unwrap(api.GET('/flicket-api/stats'))

/** Open tickets of priority high (ids 1 and 3, as the original's carousel). */
export const getHighPriority = () =>
  unwrap(
    api.GET('/flicket-api/tickets/', {
      params: { query: { status_id: 1, priority_id: 3, sort: 'last_updated_desc', per_page: 20 } },
    }),
  )

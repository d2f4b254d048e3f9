import { api, unwrap } from '../../api/client'

export const getStats = () => unwrap(api.GET('/flicket-api/stats'))

/** Saved views of the ticket list: the user's own and the shared ones. */
import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import type { Schema } from '../../api/types'

export type SavedView = Schema<'SavedView'>

export const viewKeys = { all: ['my', 'views'] as const }

export const listViews = () =>
  unwrap(api.GET('/flicket-api/me/views', { params: { query: { per_page: 100 } } }))

export const createView = (body: Schema<'SavedViewCreate'>) =>
  unwrap(api.POST('/flicket-api/me/views', { body }))

export const deleteView = (id: number) =>
  unwrap(api.DELETE('/flicket-api/me/views/{id}', { params: { path: { id } } }))

export function useSavedViews() {
  return useQuery({ queryKey: viewKeys.all, queryFn: listViews, staleTime: 60_000 })
}

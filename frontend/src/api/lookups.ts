/**
 * Small lists every feature needs (statuses, priorities, departments,
 * categories), fetched once and shared through the query cache.
 */
import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from './client'

export const lookupKeys = {
  statuses: ['lookup', 'statuses'] as const,
  priorities: ['lookup', 'priorities'] as const,
  departments: ['lookup', 'departments'] as const,
  categories: (departmentId: number | null) => ['lookup', 'categories', departmentId] as const,
}

const all = { page: 1, per_page: 100 }

export function useStatuses() {
  return useQuery({
    queryKey: lookupKeys.statuses,
    queryFn: async () =>
      (await unwrap(api.GET('/flicket-api/statuses/', { params: { query: all } }))).items,
    staleTime: 5 * 60_000,
  })
}

export function usePriorities() {
  return useQuery({
    queryKey: lookupKeys.priorities,
    queryFn: async () =>
      (await unwrap(api.GET('/flicket-api/priorities/', { params: { query: all } }))).items,
    staleTime: 5 * 60_000,
  })
}

export function useDepartments() {
  return useQuery({
    queryKey: lookupKeys.departments,
    queryFn: async () =>
      (await unwrap(api.GET('/flicket-api/departments/', { params: { query: all } }))).items,
    staleTime: 60_000,
  })
}

/** Categories of one department (all categories when null). */
export function useCategories(departmentId: number | null, enabled = true) {
  return useQuery({
    queryKey: lookupKeys.categories(departmentId),
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/flicket-api/categories/', {
            params: {
              query: departmentId === null ? all : { ...all, department_id: departmentId },
            },
          }),
        )
      ).items,
    enabled,
    staleTime: 60_000,
  })
}

/** Every department / category pair, for re-filing a ticket. */
export function useDepartmentCategories(enabled = true) {
  return useQuery({
    queryKey: ['lookup', 'department-categories'] as const,
    queryFn: async () =>
      (await unwrap(api.GET('/flicket-api/department_categories/', { params: { query: all } })))
        .items,
    enabled,
    staleTime: 60_000,
  })
}

/** Options for a Mantine Select: value is the id as a string. */
export function options<T extends { id: number }>(items: T[] | undefined, label: (x: T) => string) {
  return (items ?? []).map((x) => ({ value: String(x.id), label: label(x) }))
}

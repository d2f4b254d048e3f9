import { api, unwrap } from '../../api/client'
import { idempotencyHeader } from '../../api/idempotency'

export const deptKeys = {
  page: (page: number) => ['departments', 'page', page] as const,
  categories: (departmentId: number) => ['departments', 'categories', departmentId] as const,
}

export const listDepartments = (page: number) =>
  unwrap(api.GET('/flicket-api/departments/', { params: { query: { page } } }))

export const listCategories = async (departmentId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/categories/', {
        params: { query: { department_id: departmentId, per_page: 100 } },
      }),
    )
  ).items

export const createDepartment = (department: string, key?: string) =>
  unwrap(
    api.POST('/flicket-api/departments', {
      body: { department },
      params: { header: idempotencyHeader(key) },
    }),
  )
export const renameDepartment = (id: number, department: string) =>
  unwrap(
    api.PATCH('/flicket-api/department/{id}', { params: { path: { id } }, body: { department } }),
  )
export const deleteDepartment = (id: number) =>
  unwrap(api.DELETE('/flicket-api/department/{id}', { params: { path: { id } } }))

export const createCategory = (departmentId: number, category: string, key?: string) =>
  unwrap(
    api.POST('/flicket-api/categories', {
      body: { category, department_id: departmentId },
      params: { header: idempotencyHeader(key) },
    }),
  )
export const renameCategory = (id: number, category: string) =>
  unwrap(api.PATCH('/flicket-api/category/{id}', { params: { path: { id } }, body: { category } }))
export const deleteCategory = (id: number) =>
  unwrap(api.DELETE('/flicket-api/category/{id}', { params: { path: { id } } }))

/** Department and category names: 3 to 30 characters (features §3.13). */
export function nameProblem(v: string): 'required' | 'length' | null {
  const n = v.trim().length
  if (n === 0) return 'required'
  if (n < 3 || n > 30) return 'length'
  return null
}

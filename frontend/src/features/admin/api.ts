import { api, unwrap } from '../../api/client'
import { idempotencyHeader } from '../../api/idempotency'
import type { Schema } from '../../api/types'

export const adminKeys = {
  users: (q: string, page: number) => ['admin', 'users', q, page] as const,
  groups: ['admin', 'groups'] as const,
  config: ['admin', 'config'] as const,
  outbox: (page: number) => ['admin', 'outbox', page] as const,
}

export const listUsers = (q: string, page: number) =>
  unwrap(api.GET('/flicket-api/users/', { params: { query: { q: q || undefined, page } } }))
export const createUser = (body: Schema<'UserCreateRequest'>, key?: string) =>
  unwrap(api.POST('/flicket-api/users', { body, params: { header: idempotencyHeader(key) } }))
export const updateUser = (id: number, body: Schema<'UserUpdateRequest'>) =>
  unwrap(api.PATCH('/flicket-api/user/{id}', { params: { path: { id } }, body }))
export const deleteUser = (id: number) =>
  unwrap(api.DELETE('/flicket-api/user/{id}', { params: { path: { id } } }))

export const listGroups = async () =>
  (await unwrap(api.GET('/flicket-api/groups/', { params: { query: { per_page: 100 } } }))).items
export const createGroup = (group_name: string, key?: string) =>
  unwrap(
    api.POST('/flicket-api/groups', {
      body: { group_name },
      params: { header: idempotencyHeader(key) },
    }),
  )
export const renameGroup = (id: number, group_name: string) =>
  unwrap(api.PATCH('/flicket-api/group/{id}', { params: { path: { id } }, body: { group_name } }))
export const deleteGroup = (id: number) =>
  unwrap(api.DELETE('/flicket-api/group/{id}', { params: { path: { id } } }))

export const getConfig = () => unwrap(api.GET('/flicket-api/config'))
export const updateConfig = (body: Schema<'ConfigUpdateRequest'>) =>
  unwrap(api.PATCH('/flicket-api/config', { body }))
export const sendTestEmail = (email: string) =>
  unwrap(api.POST('/flicket-api/config/test-email', { body: { email_address: email } }))

export const listOutbox = (page: number) =>
  unwrap(api.GET('/flicket-api/mail/outbox', { params: { query: { page } } }))

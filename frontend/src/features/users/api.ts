import { api, sendForm, unwrap } from '../../api/client'
import type { Schema, Success } from '../../api/types'

export const listUsers = (q: string, page: number) =>
  unwrap(api.GET('/flicket-api/users/', { params: { query: { q: q || undefined, page } } }))

export const getUser = (id: number) =>
  unwrap(api.GET('/flicket-api/user/{id}', { params: { path: { id } } }))

export const updateMe = (body: Schema<'MeUpdateRequest'>) =>
  unwrap(api.PATCH('/flicket-api/me', { body }))

export function uploadAvatar(file: File) {
  const form = new FormData()
  form.set('avatar', file)
  return sendForm<Success<'/flicket-api/me/avatar', 'put'>>('PUT', '/flicket-api/me/avatar', form)
}

export const removeAvatar = () => unwrap(api.DELETE('/flicket-api/me/avatar'))

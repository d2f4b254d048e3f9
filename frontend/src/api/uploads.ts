/**
 * Attachments: the calls a ticket's and a reply's attachments share (the
 * API has one uploads resource for both).
 */
import { api, sendForm, unwrap } from './client'
import { idempotencyHeader } from './idempotency'
import type { Success } from './types'

/** Attaches files to a ticket or to a reply. */
export function uploadFiles(
  target: { ticket_id: number } | { post_id: number },
  files: File[],
  key?: string,
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(target)) form.set(k, String(v))
  for (const f of files) form.append('file', f)
  return sendForm<Success<'/flicket-api/uploads', 'post'>>(
    'POST',
    '/flicket-api/uploads',
    form,
    idempotencyHeader(key),
  )
}

export const deleteUpload = (id: number) =>
  unwrap(api.DELETE('/flicket-api/upload/{id}', { params: { path: { id } } }))

export const downloadUrl = (uploadId: number | undefined) =>
  `/flicket-api/upload/${uploadId ?? 0}/download`

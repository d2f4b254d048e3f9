import { api, unwrap } from '../../api/client'

export const requestPasswordReset = (email: string) =>
  unwrap(api.POST('/flicket-api/password-reset', { body: { email } }))

export const confirmPasswordReset = (token: string, password: string) =>
  unwrap(api.POST('/flicket-api/password-reset/confirm', { body: { token, password } }))

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  return next
}

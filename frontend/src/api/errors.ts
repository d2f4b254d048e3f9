/**
 * Error mapping. The API answers every error with
 * {error, message, code, errors: [{field, code, message}]}; ApiError keeps
 * all of it so forms can show each message next to the field it names.
 */
import type { ApiErrorBody, FieldError as ApiFieldError } from './types'

/** A field error of the API's body, its optional message made "" when absent. */
export type FieldError = Required<ApiFieldError>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }

  static fromResponse(status: number, body: unknown): ApiError {
    const b: Partial<ApiErrorBody> = isErrorBody(body) ? body : {}
    const fields = (b.errors ?? []).map((f) => ({ ...f, message: f.message ?? '' }))
    return new ApiError(status, b.code ?? `http.${status}`, b.message ?? '', fields)
  }

  static network(cause: unknown): ApiError {
    const e = new ApiError(0, 'network', cause instanceof Error ? cause.message : '')
    return e
  }

  /** The first error message naming this field, if any. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message
  }
}

function isErrorBody(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && ('code' in v || 'message' in v)
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Codes whose sentence the SPA translates itself (keys errors.<code>). */
const translatedCodes = new Set([
  'network',
  'not_found',
  'forbidden',
  'not_implemented',
  'internal',
  'auth.invalid_credentials',
  'auth.account_disabled',
  'auth.token_expired',
  'auth.token_missing',
  'auth.token_revoked',
  'auth.csrf_header_missing',
  'request.rate_limited',
  'request.too_large',
  'validation.failed',
  'ticket.closed',
  'ticket.already_closed',
  'ticket.not_assigned',
  'ticket.same_status',
  'ticket.same_priority',
  'ticket.already_assigned',
])

/** Field codes with a generic translated sentence (keys validation.<code>). */
const translatedFieldCodes = new Set(['required', 'nonblank', 'email', 'duplicate', 'type'])

type Translate = (key: string, options?: Record<string, unknown>) => string

/** A sentence for the user, in their language when the code is known. */
export function errorMessage(e: unknown, t: Translate): string {
  if (!isApiError(e)) return t('errors.unexpected')
  if (translatedCodes.has(e.code)) {
    const first = e.fields[0]
    if (e.code === 'validation.failed' && first) return fieldErrorText(first, t)
    return t(`errors.${e.code}`)
  }
  if (e.message) return e.message
  return t('errors.unexpected')
}

export function fieldErrorText(f: FieldError, t: Translate): string {
  if (translatedFieldCodes.has(f.code)) return t(`validation.${f.code}`)
  return f.message || t('validation.invalid')
}

/**
 * fieldErrors maps the API's field errors to {field: sentence} for a form;
 * fields the form does not show are left for the banner.
 */
export function fieldErrors(
  e: unknown,
  t: Translate,
  known: readonly string[],
): { fields: Record<string, string>; rest: boolean } {
  const fields: Record<string, string> = {}
  let rest = !isApiError(e) || e.fields.length === 0
  if (isApiError(e)) {
    for (const f of e.fields) {
      if (known.includes(f.field)) {
        fields[f.field] ??= fieldErrorText(f, t)
      } else {
        rest = true
      }
    }
  }
  return { fields, rest }
}

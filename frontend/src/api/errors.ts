/**
 * Error mapping. The API answers every error with
 * {error, message, code, errors: [{field, code, message, params}], params};
 * ApiError keeps all of it so forms can show each message next to the field
 * it names, in the user's language: the sentence comes from the code and
 * its params (keys errors.<code> and fieldErrors.<code>), the server's own
 * English message only for a code the app does not know.
 */
import i18n from '../i18n'
import type { ApiErrorBody, FieldError as ApiFieldError } from './types'

/** The values a message is made with ({"min": 3}, {"name": "IT"}). */
export type Params = Record<string, unknown>

/** A field error of the API's body, its optional parts made empty when absent. */
export type FieldError = Required<ApiFieldError>

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]
  readonly params: Params

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldError[] = [],
    params: Params = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.params = params
  }

  static fromResponse(status: number, body: unknown): ApiError {
    const b: Partial<ApiErrorBody> = isErrorBody(body) ? body : {}
    const fields = (b.errors ?? []).map((f) => ({
      ...f,
      message: f.message ?? '',
      params: f.params ?? {},
    }))
    return new ApiError(status, b.code ?? `http.${status}`, b.message ?? '', fields, b.params ?? {})
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

type Translate = (key: string, options?: Record<string, unknown>) => string

/** Params ready for a sentence: lists joined ("pdf, png"). */
function values(p: Params): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  )
}

/**
 * The first of these keys the locales have (every language has English's
 * keys) whose sentence has every value it needs: a body without params (an
 * older server) keeps its own message rather than show "{{min}}". Only the
 * language in use is loaded, so its own texts are the ones read.
 */
function firstKey(keys: string[], vals: Record<string, unknown>): string | undefined {
  const lng = i18n.resolvedLanguage ?? i18n.language
  return keys.find((k) => {
    const text: unknown =
      i18n.getResource(lng, 'translation', k) ?? i18n.getResource('en', 'translation', k)
    if (typeof text !== 'string') return false
    return [...text.matchAll(/\{\{(\w+)\}\}/g)].every((m) => vals[m[1] ?? ''] !== undefined)
  })
}

/** Codes that stand for their first field error, which says more. */
const byField = new Set(['validation.failed', 'request.invalid_parameter'])

/** A sentence for the user, in their language when the code is known. */
export function errorMessage(e: unknown, t: Translate): string {
  if (!isApiError(e)) return t('errors.unexpected')
  const first = e.fields[0]
  if (first && byField.has(e.code)) return fieldErrorText(first, t)
  // reason: what the first field error says (why a test mail failed).
  const vals = { ...values(e.params), reason: first ? fieldErrorText(first, t) : undefined }
  const key = firstKey([`errors.${e.code}`], vals)
  if (key) return t(key, vals)
  if (e.message) return e.message
  return t('errors.unexpected')
}

/**
 * A field error's sentence: by its code and params ("min" with unit
 * "characters" is fieldErrors.min_characters), a conflict's by the body's
 * code (group.duplicate), else the server's message.
 */
export function fieldErrorText(f: FieldError, t: Translate): string {
  const unit = typeof f.params.unit === 'string' ? `fieldErrors.${f.code}_${f.params.unit}` : ''
  const vals = values(f.params)
  const key = firstKey([unit, `fieldErrors.${f.code}`, `errors.${f.code}`].filter(Boolean), vals)
  if (key) return t(key, vals)
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

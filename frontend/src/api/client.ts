/**
 * The one HTTP client of the SPA. It talks to /flicket-api/ on the same
 * origin; the browser sends the HttpOnly session cookie by itself, and every
 * request carries X-Requested-With, which the server demands on
 * cookie-authenticated writes (CSRF defence). No token ever passes through
 * JavaScript.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import type { Paths } from './types'
import { ApiError } from './errors'

export const csrfHeaders = { 'X-Requested-With': 'flicket' } as const

export const api = createClient<Paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  credentials: 'same-origin',
  headers: csrfHeaders,
  // Looked up on each call, so tests can stand in for the network.
  fetch: (req: Request) => globalThis.fetch(req),
})

type UnauthorizedListener = () => void
const unauthorizedListeners = new Set<UnauthorizedListener>()

/** Called whenever the API answers 401 (the session has ended). */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn)
  return () => unauthorizedListeners.delete(fn)
}

const notify401: Middleware = {
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/flicket-api/session')) {
      unauthorizedListeners.forEach((fn) => {
        fn()
      })
    }
    return undefined
  },
}
api.use(notify401)

interface Result<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * unwrap turns an openapi-fetch result into its data, or throws an ApiError
 * carrying the server's code, message and field errors.
 */
export async function unwrap<T>(promise: Promise<Result<T>>): Promise<T> {
  let res: Result<T>
  try {
    res = await promise
  } catch (e) {
    throw ApiError.network(e)
  }
  if (!res.response.ok) {
    throw ApiError.fromResponse(res.response.status, res.error)
  }
  return res.data as T
}

/** Sends multipart form data (attachments, avatars) with the same headers. */
export async function sendForm<T>(
  method: 'POST' | 'PUT',
  path: string,
  form: FormData,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      body: form,
      credentials: 'same-origin',
      headers: { ...csrfHeaders, ...headers },
    })
  } catch (e) {
    throw ApiError.network(e)
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    if (response.status === 401) unauthorizedListeners.forEach((fn) => fn())
    throw ApiError.fromResponse(response.status, body)
  }
  return body as T
}

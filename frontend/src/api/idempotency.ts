/**
 * Idempotency keys: every create the SPA sends carries one, so a request
 * sent twice (a double click that slipped through, a retry after a network
 * error whose request did arrive) creates one record. The server answers
 * the same key with the first answer for 24 hours.
 */

/** A random UUID v4. crypto.randomUUID exists only on HTTPS and localhost;
 * Flicket is also served over plain HTTP on a LAN, where getRandomValues works. */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The header openapi-fetch sends for a key (none without one). */
export function idempotencyHeader(key: string | undefined): { 'Idempotency-Key'?: string } {
  return key ? { 'Idempotency-Key': key } : {}
}

/**
 * A key for one submit attempt, derived for each create the attempt makes
 * (the ticket, then its files): the same key on two different requests
 * would be refused.
 */
export function subKey(key: string | undefined, part: string): string | undefined {
  return key ? `${key}.${part}` : undefined
}

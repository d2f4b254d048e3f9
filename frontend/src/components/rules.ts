/** Field rules shared by forms (features §3: title 3–128, content 5–5000, ...). */
type T = (k: string, o?: Record<string, unknown>) => string

export function ticketRules(t: T) {
  return {
    title: (v: string) => {
      const n = v.trim().length
      if (n === 0) return t('validation.required')
      if (n < 3 || n > 128) return t('validation.length', { min: 3, max: 128 })
      return null
    },
    content: (v: string) => {
      const n = v.trim().length
      if (n === 0) return t('validation.required')
      if (n < 5 || n > 5000) return t('validation.length', { min: 5, max: 5000 })
      return null
    },
    category_id: (v: string) => (v ? null : t('validation.required')),
    department_id: (v: string) => (v ? null : t('validation.required')),
    ticket_priority_id: (v: string) => (v ? null : t('validation.required')),
    hours: (v: number | string) =>
      Number(v) < 0 || Number.isNaN(Number(v)) ? t('validation.hours') : null,
  }
}

/** A reply may be as short as "Thx": anything but blank, up to 5000 characters. */
export function replyRules(t: T) {
  return {
    content: (v: string) => {
      const n = v.trim().length
      if (n === 0) return t('validation.required')
      if (v.length > 5000) return t('validation.max', { max: 5000 })
      return null
    },
    hours: ticketRules(t).hours,
  }
}

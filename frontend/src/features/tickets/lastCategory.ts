/**
 * The last department/category used to create a ticket, remembered on this
 * device (the original kept it in the session). Not a secret.
 */
const key = 'flicket.lastCategory'

export interface LastCategory {
  department_id: number
  category_id: number
}

export function loadLastCategory(): LastCategory | null {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null')
    if (
      typeof v === 'object' &&
      v !== null &&
      'department_id' in v &&
      'category_id' in v &&
      typeof v.department_id === 'number' &&
      typeof v.category_id === 'number'
    ) {
      return { department_id: v.department_id, category_id: v.category_id }
    }
  } catch {
    // A corrupt value is forgotten.
  }
  return null
}

export function saveLastCategory(v: LastCategory): void {
  localStorage.setItem(key, JSON.stringify(v))
}

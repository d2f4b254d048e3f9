import { useTranslation } from 'react-i18next'

/**
 * Statuses and priorities are seeded rows with fixed ids (BRIEF); their
 * names are shown translated, falling back to the stored name for any row
 * the seed did not create.
 */
export function useLabels() {
  const { t } = useTranslation()
  return labelsFor(t)
}

/** The same labels for a t already at hand (made once per language by lists). */
export function labelsFor(t: (key: string) => string) {
  return {
    status: (id: number | undefined, name: string | undefined) =>
      id !== undefined && id >= 1 && id <= 4 ? t(`status.${id}`) : (name ?? ''),
    priority: (id: number | undefined, name: string | undefined) =>
      id !== undefined && id >= 1 && id <= 3 ? t(`priority.${id}`) : (name ?? ''),
  }
}

/** Colours of the original (priority names drove CSS colours). */
export const priorityColor = (id: number | undefined): string =>
  id === 3 ? 'red' : id === 2 ? 'orange' : 'gray'

export const statusColor = (id: number | undefined): string =>
  id === 2 ? 'gray' : id === 3 ? 'blue' : id === 4 ? 'yellow' : 'green'

/** Closed tickets are shown muted in lists. */
export const statusMuted = (id: number | undefined): boolean => id === 2

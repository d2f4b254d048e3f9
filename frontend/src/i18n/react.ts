/**
 * useTranslation for the app's own translator (./index.ts): { t, i18n },
 * re-rendering when the language or its texts change, as react-i18next's did.
 */
import { useMemo, useSyncExternalStore } from 'react'
import i18n, { translate, type TOptions } from './index'

const subscribe = (listener: () => void) => i18n.subscribe(listener)
const snapshot = () => i18n.version

export function useTranslation() {
  const version = useSyncExternalStore(subscribe, snapshot, snapshot)
  return useMemo(() => {
    const lng = i18n.language
    // A new t at every change, so memos and effects that use it run again.
    const t = (key: string, options?: TOptions) => translate(lng, key, options)
    return { t, i18n, version }
  }, [version])
}

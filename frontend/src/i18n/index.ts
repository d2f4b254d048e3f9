/**
 * i18n: English is the source, French complete. The language is the signed-in
 * user's saved locale; before sign-in, the one picked on this device, else
 * the browser's preferred one, else English. Each language's texts are a
 * chunk of their own, loaded when used: a page needs only one (~7 KB gzipped
 * each). main.tsx waits for i18nReady before the first render.
 */
import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Schema } from '../api/types'

/** The languages the SPA has, each a locale the API accepts. */
export const languages = ['en', 'fr'] as const satisfies readonly NonNullable<
  Schema<'MeUpdateRequest'>['locale']
>[]
export type Language = (typeof languages)[number]

const storageKey = 'flicket.language'

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (languages as readonly string[]).includes(v)
}

/** The best supported language among the browser's preferences. */
export function browserLanguage(prefs: readonly string[] = navigator.languages): Language {
  for (const p of prefs) {
    const base = p.toLowerCase().split('-')[0]
    if (isLanguage(base)) return base
  }
  return 'en'
}

export function initialLanguage(): Language {
  const saved = localStorage.getItem(storageKey)
  return isLanguage(saved) ? saved : browserLanguage()
}

const texts: Record<Language, () => Promise<{ default: Record<string, unknown> }>> = {
  en: () => import('./en.json'),
  fr: () => import('./fr.json'),
}

/** Loads a language's texts once (before switching to it). */
export async function loadLanguage(lang: Language): Promise<void> {
  if (i18n.hasResourceBundle(lang, 'translation')) return
  const { default: bundle } = await texts[lang]()
  i18n.addResourceBundle(lang, 'translation', bundle)
}

/** Switches the UI language and remembers it on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(storageKey, lang)
  document.documentElement.lang = lang
  await loadLanguage(lang)
  await i18n.changeLanguage(lang)
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en'
}

const startLanguage: Language = typeof navigator === 'undefined' ? 'en' : initialLanguage()

/** Resolved once the first language's texts are in. */
export const i18nReady: Promise<void> = (async () => {
  // Started with the init, not after it: one round trip, not two.
  const loaded = texts[startLanguage]()
  await i18n.use(initReactI18next).init({
    resources: {},
    partialBundledLanguages: true,
    lng: startLanguage,
    // French is complete (a test checks), so it never needs English loaded.
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  i18n.addResourceBundle(startLanguage, 'translation', (await loaded).default)
  // Re-render whatever subscribed before the texts arrived.
  await i18n.changeLanguage(startLanguage)
})()

export default i18n

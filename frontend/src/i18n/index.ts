/**
 * i18n: English is the source, French complete. The language is the signed-in
 * user's saved locale; before sign-in, the one picked on this device, else
 * the browser's preferred one, else English.
 */
import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Schema } from '../api/types'
import en from './en.json'
import fr from './fr.json'

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

/** Switches the UI language and remembers it on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(storageKey, lang)
  document.documentElement.lang = lang
  await i18n.changeLanguage(lang)
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en'
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: typeof navigator === 'undefined' ? 'en' : initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
})

export default i18n

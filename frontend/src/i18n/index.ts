/**
 * i18n: English is the source, French complete. The language is the signed-in
 * user's saved locale; before sign-in, the one picked on this device, else
 * the browser's preferred one, else English. Each language's texts are a
 * chunk of their own, loaded when used: a page needs only one (~7 KB gzipped
 * each). main.tsx waits for i18nReady before the first render.
 *
 * The translator is our own, a few dozen lines: the texts only need nested
 * keys, {{name}} values and plural forms chosen by Intl.PluralRules (key_one,
 * key_other), the part of i18next they used, which cost the first screen
 * 17 KB of JavaScript gzipped. Its object keeps i18next's names for language,
 * t and changeLanguage; useTranslation is in ./react.ts.
 */
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

const texts: Record<Language, () => Promise<{ default: Texts }>> = {
  en: () => import('./en.json'),
  fr: () => import('./fr.json'),
}

/** A language's texts: nested objects of sentences. */
export interface Texts {
  [key: string]: string | Texts
}

/** Values for a sentence's {{name}}s; count also picks its plural form. */
export type TOptions = Record<string, unknown>

const bundles = new Map<Language, Texts>()
const plurals = new Map<Language, Intl.PluralRules>()
const listeners = new Set<() => void>()
let language: Language = 'en'
let version = 0

function changed() {
  version++
  for (const l of listeners) l()
}

function lookup(bundle: Texts | undefined, key: string): unknown {
  let node: unknown = bundle
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Texts)[part]
  }
  return node
}

/**
 * The sentence for key in lng, its {{name}}s filled from options (a value
 * not given is left empty); with a numeric count, key_zero for 0 if the
 * texts have it, else the plural form key_one, key_other, ... that lng's
 * rules pick, else key itself. A key
 * with no sentence is shown as the key, as i18next did.
 */
export function translate(lng: Language, key: string, options?: TOptions): string {
  const bundle = bundles.get(lng)
  let text: unknown
  const count = options?.count
  if (typeof count === 'number') {
    let rules = plurals.get(lng)
    if (!rules) {
      rules = new Intl.PluralRules(lng)
      plurals.set(lng, rules)
    }
    // As i18next: a _zero form, where a text has one, wins for 0.
    if (count === 0) text = lookup(bundle, `${key}_zero`)
    text ??= lookup(bundle, `${key}_${rules.select(count)}`)
  }
  text ??= lookup(bundle, key)
  if (typeof text !== 'string') return key
  if (!options) return text
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const v = options[name]
    if (v === undefined || v === null) return ''
    return typeof v === 'string' ? v : JSON.stringify(v)
  })
}

/** The translator (language, t and changeLanguage as i18next named them). */
const i18n = {
  get language(): Language {
    return language
  },
  t: (key: string, options?: TOptions): string => translate(language, key, options),
  hasTexts: (lng: Language) => bundles.has(lng),
  addTexts(lng: Language, bundle: Texts) {
    bundles.set(lng, bundle)
    changed()
  },
  removeTexts(lng: Language) {
    bundles.delete(lng)
    changed()
  },
  /** The raw sentence (or subtree) at key in lng's texts. */
  lookup: (lng: Language, key: string): unknown => lookup(bundles.get(lng), key),
  async changeLanguage(lng: Language): Promise<void> {
    language = lng
    changed()
    return Promise.resolve()
  },
  /** Calls listener after every change of language or texts (useTranslation). */
  subscribe(listener: () => void): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
  /** Moves on at every change: what useTranslation re-renders on. */
  get version(): number {
    return version
  },
}

/** Loads a language's texts once (before switching to it). */
export async function loadLanguage(lang: Language): Promise<void> {
  if (i18n.hasTexts(lang)) return
  const { default: bundle } = await texts[lang]()
  i18n.addTexts(lang, bundle)
}

/** Switches the UI language and remembers it on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  localStorage.setItem(storageKey, lang)
  document.documentElement.lang = lang
  await loadLanguage(lang)
  await i18n.changeLanguage(lang)
}

export function currentLanguage(): Language {
  return i18n.language
}

const startLanguage: Language = typeof navigator === 'undefined' ? 'en' : initialLanguage()

/** Resolved once the first language's texts are in. */
export const i18nReady: Promise<void> = (async () => {
  // French is complete (a test checks), so it never needs English loaded.
  language = startLanguage
  await loadLanguage(startLanguage)
})()

export default i18n

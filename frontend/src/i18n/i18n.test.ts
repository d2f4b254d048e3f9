import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from './en.json'
import fr from './fr.json'
import { browserLanguage } from './index'

interface Tree {
  [k: string]: string | Tree
}

// i18next plural forms share one base key.
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '')

function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}

const enKeys = leaves(en)
const frKeys = leaves(fr)
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort()

describe('locales', () => {
  it('French has every English key and no other', () => {
    const a = new Set([...enKeys.keys()].map(base))
    const b = new Set([...frKeys.keys()].map(base))
    expect([...a].filter((k) => !b.has(k))).toEqual([])
    expect([...b].filter((k) => !a.has(k))).toEqual([])
  })

  it('no translation is empty and every one keeps its variables', () => {
    for (const [k, v] of enKeys) {
      expect(v.trim(), k).not.toBe('')
      const other = frKeys.get(k) ?? frKeys.get(`${base(k)}_other`)
      expect(other?.trim(), k).toBeTruthy()
      expect(vars(other ?? ''), k).toEqual(vars(v))
    }
  })

  it('every key the code asks for exists', () => {
    const src = join(__dirname, '..')
    const files: string[] = []
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.test.tsx'))
          files.push(p)
      }
    }
    walk(src)
    const known = new Set([...enKeys.keys()].flatMap((k) => [k, base(k)]))
    const missing: string[] = []
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        const key = m[1] ?? ''
        if (!known.has(key)) missing.push(`${key} (${f.slice(src.length)})`)
      }
    }
    expect(missing).toEqual([])
  })

  it('has the keys built at run time', () => {
    const needed = [
      ...['1', '2', '3', '4'].map((i) => `status.${i}`),
      ...['1', '2', '3'].map((i) => `priority.${i}`),
      ...['first', 'previous', 'next', 'last'].map((c) => `pagination.${c}`),
      ...[
        'required',
        'nonblank',
        'email',
        'duplicate',
        'type',
        'passwordShort',
        'passwordWeak',
      ].map((c) => `validation.${c}`),
    ]
    for (const k of needed) expect(enKeys.has(k), k).toBe(true)
  })
})

describe('language choice', () => {
  it('takes the first supported browser language, else English', () => {
    expect(browserLanguage(['de-DE', 'fr-CA', 'en'])).toBe('fr')
    expect(browserLanguage(['en-GB'])).toBe('en')
    expect(browserLanguage(['de', 'it'])).toBe('en')
  })
})

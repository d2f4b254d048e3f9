import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import i18n from '../i18n'
import en from '../i18n/en.json'
import fr from '../i18n/fr.json'
import { ApiError, errorMessage } from './errors'

// Every code the server can send, listed from its source by `make api-docs`
// (backend/internal/errcodes, whose test keeps the list current).
const listed = JSON.parse(
  readFileSync(join(__dirname, '../../../api-docs/error-codes.json'), 'utf8'),
) as { codes: string[]; field_codes: string[] }

interface Tree {
  [k: string]: string | Tree
}

const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((at, k) => (at as Tree | undefined)?.[k], tree)

const t = i18n.t.bind(i18n)

describe('server error codes', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en')
  })

  it('lists the codes (the list is not empty)', () => {
    expect(listed.codes).toContain('group.duplicate')
    expect(listed.field_codes).toContain('min')
  })

  for (const [lang, tree] of [
    ['en', en],
    ['fr', fr],
  ] as const) {
    it(`has a sentence in ${lang} for every code the server can send`, () => {
      const missing = listed.codes.filter((c) => typeof lookup(tree, `errors.${c}`) !== 'string')
      expect(missing).toEqual([])
    })

    it(`has a sentence in ${lang} for every field code the server can send`, () => {
      const missing = listed.field_codes.filter(
        (c) =>
          typeof lookup(tree, `fieldErrors.${c}`) !== 'string' &&
          typeof lookup(tree, `errors.${c}`) !== 'string',
      )
      // Lengths have their own sentences (unit "characters").
      for (const c of ['min', 'max', 'gte', 'lte']) {
        if (typeof lookup(tree, `fieldErrors.${c}_characters`) !== 'string') missing.push(c)
      }
      expect(missing).toEqual([])
    })
  }

  it('words an error in French when only the French texts are loaded (the app loads one language)', async () => {
    await i18n.changeLanguage('fr')
    i18n.removeResourceBundle('en', 'translation')
    try {
      const dup = ApiError.fromResponse(409, {
        code: 'group.duplicate',
        message: 'A group named "IT" already exists.',
        errors: [],
        params: { name: 'IT' },
      })
      expect(errorMessage(dup, t)).toBe('Un groupe nommé « IT » existe déjà.')
    } finally {
      i18n.addResourceBundle('en', 'translation', en)
    }
  })

  it('words an error in French from its code and params, never in English', async () => {
    await i18n.changeLanguage('fr')
    const dup = ApiError.fromResponse(409, {
      error: 'Conflict',
      code: 'group.duplicate',
      message: 'A group named "IT" already exists.',
      errors: [
        {
          field: 'group_name',
          code: 'group.duplicate',
          message: 'A group named "IT" already exists.',
          params: { name: 'IT' },
        },
      ],
      params: { name: 'IT' },
    })
    expect(errorMessage(dup, t)).toBe('Un groupe nommé « IT » existe déjà.')

    const short = ApiError.fromResponse(422, {
      code: 'validation.failed',
      message: 'title must be at least 3 characters long.',
      errors: [
        {
          field: 'title',
          code: 'min',
          message: 'title must be at least 3 characters long.',
          params: { min: 3, unit: 'characters' },
        },
      ],
      params: {},
    })
    expect(errorMessage(short, t)).toBe('Doit comporter au moins 3 caractères.')

    const mail = ApiError.fromResponse(409, {
      code: 'mail.not_configured',
      message: 'No mail server is configured: set mail_server in the configuration first.',
      errors: [],
      params: {},
    })
    expect(errorMessage(mail, t)).not.toMatch(/mail_server|configured/)

    const failed = ApiError.fromResponse(502, {
      code: 'mail.send_failed',
      message: 'The test e-mail could not be sent: ...',
      errors: [{ field: 'mail_port', code: 'refused', message: '...' }],
      params: { kind: 'refused', server: 'smtp.example.com:25' },
    })
    expect(errorMessage(failed, t)).toBe(
      'Le courriel de test n’a pas pu être envoyé : rien n’accepte de connexion sur cet hôte et ce port (serveur de courriel smtp.example.com:25).',
    )

    const oneof = ApiError.fromResponse(400, {
      code: 'request.invalid_parameter',
      message: 'state must be one of: open, closed.',
      errors: [{ field: 'state', code: 'oneof', params: { values: ['open', 'closed'] } }],
      params: {},
    })
    expect(errorMessage(oneof, t)).toBe('Doit être l’une de ces valeurs : open, closed.')
  })

  it('falls back to the server’s message for a code it does not know', () => {
    const e = ApiError.fromResponse(409, {
      code: 'brand.new_code',
      message: 'Something new happened.',
      errors: [],
      params: {},
    })
    expect(errorMessage(e, t)).toBe('Something new happened.')
  })
})

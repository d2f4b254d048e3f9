import path from 'node:path'
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import i18next from 'eslint-plugin-i18next'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

// features/<name>/ folders never import each other; they meet in app/
// (STYLE.md). A tiny local rule resolves each relative import and refuses
// one that lands in another feature.
const boundaries = {
  rules: {
    'no-cross-feature-imports': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const file = context.filename
        const own = /[/\\]src[/\\]features[/\\]([^/\\]+)[/\\]/.exec(file)?.[1]
        if (!own) return {}
        return {
          ImportDeclaration(node) {
            const spec = node.source.value
            if (typeof spec !== 'string' || !spec.startsWith('.')) return
            const target = path.resolve(path.dirname(file), spec)
            const other = /[/\\]src[/\\]features[/\\]([^/\\]+)/.exec(target)?.[1]
            if (other && other !== own) {
              context.report({
                node,
                message: `features/${own} must not import features/${other}; share through src/app or src/components.`,
              })
            }
          },
        }
      },
    },
  },
}

export default tseslint.config(
  {
    ignores: ['node_modules', 'e2e', 'tools', 'src/api/schema.d.ts', 'scripts', '*.config.js'],
  },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [
      js.configs.recommended,
      ...tseslint.configs.strictTypeChecked,
      ...tseslint.configs.stylisticTypeChecked,
    ],
    languageOptions: {
      ecmaVersion: 2023,
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks, i18next, boundaries },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      'boundaries/no-cross-feature-imports': 'error',
      // Every visible string goes through i18n: JSX text and the props that
      // people read (labels, placeholders, titles, alt texts, ...).
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': {
            include: [
              'label',
              'placeholder',
              'title',
              'aria-label',
              'alt',
              'description',
              'error',
              'confirmLabel',
              'cancelLabel',
              'message',
            ],
          },
        },
      ],
    },
  },
  {
    // Tests may use literal strings in JSX fixtures.
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: {
      'i18next/no-literal-string': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
)

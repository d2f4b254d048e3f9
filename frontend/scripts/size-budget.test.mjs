// The build's size budget: it must fail on an oversized first screen, and
// only on what the first screen loads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkBudgets } from './size-budget.mjs'

// Vitest runs from frontend/ (its jsdom environment gives no file: import.meta.url).
const script = join(process.cwd(), 'scripts/size-budget.mjs')
const dirs = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

// A fake Vite build: random bytes do not compress, so n KB stay n KB gzipped.
function fakeDist({ entryKB = 10, dashboardKB = 10, chartKB = 10, cssKB = 5 } = {}) {
  const dist = mkdtempSync(join(tmpdir(), 'size-budget-'))
  dirs.push(dist)
  mkdirSync(join(dist, '.vite'))
  mkdirSync(join(dist, 'assets'))
  const file = (name, sizeKB) => writeFileSync(join(dist, name), randomBytes(sizeKB * 1024))
  file('assets/index.js', entryKB)
  file('assets/shared.js', 1)
  file('assets/LoginPage.js', 1)
  file('assets/DashboardPage.js', dashboardKB)
  file('assets/StatsChart.js', chartKB)
  file('assets/en.js', 1)
  file('assets/index.css', cssKB)
  const manifest = {
    'index.html': {
      file: 'assets/index.js',
      isEntry: true,
      imports: ['_shared.js'],
      css: ['assets/index.css'],
      dynamicImports: [
        'src/features/auth/LoginPage.tsx',
        'src/features/dashboard/DashboardPage.tsx',
      ],
    },
    '_shared.js': { file: 'assets/shared.js' },
    'src/features/auth/LoginPage.tsx': { file: 'assets/LoginPage.js', imports: ['_shared.js'] },
    'src/features/dashboard/DashboardPage.tsx': {
      file: 'assets/DashboardPage.js',
      imports: ['_shared.js'],
      dynamicImports: ['src/features/dashboard/StatsChart.tsx'],
    },
    'src/features/dashboard/StatsChart.tsx': { file: 'assets/StatsChart.js' },
    'src/i18n/en.json': { file: 'assets/en.js' },
  }
  writeFileSync(join(dist, '.vite/manifest.json'), JSON.stringify(manifest))
  return dist
}

describe('size budget', () => {
  it('passes a bundle within budget and reports each file', () => {
    const r = checkBudgets(fakeDist())
    expect(r.ok).toBe(true)
    expect(r.jsKB).toBeGreaterThan(22)
    expect(r.jsKB).toBeLessThan(25)
    expect(r.lines.join('\n')).toMatch(/assets\/DashboardPage\.js {2}10\.\d KB/)
    expect(r.lines.join('\n')).toMatch(/First-screen CSS \(gzip\):/)
  })

  it('fails when the first screen carries too much JavaScript', () => {
    const r = checkBudgets(fakeDist({ dashboardKB: 195 }))
    expect(r.ok).toBe(false)
    expect(r.lines.join('\n')).toMatch(/total 2\d\d\.\d KB of 200 KB {2}OVER BUDGET/)
  })

  it('fails when the first screen carries too much CSS', () => {
    const r = checkBudgets(fakeDist({ cssKB: 41 }))
    expect(r.ok).toBe(false)
    expect(r.lines.join('\n')).toMatch(/KB of 40 KB {2}OVER BUDGET/)
  })

  it('does not count chunks loaded on demand', () => {
    const r = checkBudgets(fakeDist({ chartKB: 400 }))
    expect(r.ok).toBe(true)
    expect(r.lines.join('\n')).toMatch(/Largest on-demand chunk: assets\/StatsChart\.js/)
  })

  it('refuses a first-screen page missing from the build', () => {
    expect(() => checkBudgets(fakeDist(), undefined, ['src/features/gone/Page.tsx'])).toThrow(
      /not in the Vite manifest/,
    )
  })

  it('makes the build command exit non-zero when over budget', () => {
    const over = spawnSync(process.execPath, [script, fakeDist({ entryKB: 250 })], {
      encoding: 'utf8',
    })
    expect(over.status).toBe(1)
    expect(over.stderr).toMatch(/Over the size budget/)
    const within = spawnSync(process.execPath, [script, fakeDist()], { encoding: 'utf8' })
    expect(within.status).toBe(0)
    expect(within.stdout).toMatch(/First-screen JavaScript/)
  })
})

// Fails the build when the code a user waits for is over budget, and prints
// what it measured (run by `npm run build`, so by `make build` and CI).
//
// "First screen" = what a browser loads before the first useful screen
// after sign-in: the entry chunk, the sign-in page and the dashboard (the
// page sign-in lands on), each with every chunk it imports statically (read
// from Vite's manifest). Chunks loaded on demand (other routes, the
// dashboard's chart) are not counted. Sizes are gzip level 9, as served.
//
//   node scripts/size-budget.mjs [dist]
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const budgets = {
  /** JavaScript before the first useful screen after sign-in (issue 13, point 7). */
  firstScreenJsKB: 200,
  /** CSS before the first useful screen after sign-in. */
  firstScreenCssKB: 40,
}

/** The pages of the first screen, by source path (keys of the manifest). */
export const firstScreenPages = [
  'src/features/auth/LoginPage.tsx',
  'src/features/dashboard/DashboardPage.tsx',
  // The texts of the default language (French is the same size), loaded before the first render.
  'src/i18n/en.json',
]

const kb = (bytes) => (bytes / 1024).toFixed(1)

/**
 * Measures dist (a Vite build with manifest: true) against the budgets.
 * Returns { ok, lines }: lines is the report, ok false when over budget.
 */
export function checkBudgets(dist, limits = budgets, pages = firstScreenPages) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
  const entry = Object.values(manifest).find((c) => c.isEntry)
  if (!entry) throw new Error('no entry chunk in the Vite manifest')

  // The chunks a visit loads before these pages show: the entry's and the
  // pages' static imports, and the CSS of all of them.
  const closure = (names) => {
    const seen = new Set()
    const css = new Set()
    const walk = (chunk) => {
      if (seen.has(chunk.file)) return
      seen.add(chunk.file)
      for (const f of chunk.css ?? []) css.add(f)
      for (const key of chunk.imports ?? []) walk(manifest[key])
    }
    walk(entry)
    for (const page of names) {
      const chunk = manifest[page]
      // A renamed page must be named here again, not silently left out.
      if (!chunk) throw new Error(`size budget: ${page} is not in the Vite manifest`)
      walk(chunk)
    }
    return { seen, css }
  }
  const { seen, css } = closure(pages)

  const measure = (files) => {
    let total = 0
    const rows = []
    for (const file of files) {
      const raw = readFileSync(join(dist, file))
      const gz = gzipSync(raw, { level: 9 }).length
      total += gz
      rows.push({ file, raw: raw.length, gz })
    }
    rows.sort((a, b) => b.gz - a.gz)
    return { total, rows }
  }
  const js = measure([...seen].filter((f) => f.endsWith('.js')))
  const styles = measure([...css])

  const lines = []
  let ok = true
  const section = (title, m, limitKB) => {
    lines.push(`${title} (gzip):`)
    for (const r of m.rows) lines.push(`  ${r.file}  ${kb(r.gz)} KB (${kb(r.raw)} KB raw)`)
    const over = m.total / 1024 > limitKB
    lines.push(`  total ${kb(m.total)} KB of ${limitKB} KB${over ? '  OVER BUDGET' : ''}`)
    if (over) ok = false
  }
  section('First-screen JavaScript', js, limits.firstScreenJsKB)
  section('First-screen CSS', styles, limits.firstScreenCssKB)

  // A visit already signed in skips the sign-in page: reported, for the record.
  const signedIn = closure(pages.filter((p) => !p.includes('/auth/')))
  const signedInJs = measure([...signedIn.seen].filter((f) => f.endsWith('.js')))
  lines.push(`Already signed in (no sign-in page): ${kb(signedInJs.total)} KB of JavaScript`)

  // The largest chunk loaded on demand, for the record (no budget).
  let largest = null
  for (const c of Object.values(manifest)) {
    if (!c.file.endsWith('.js') || seen.has(c.file)) continue
    const gz = gzipSync(readFileSync(join(dist, c.file)), { level: 9 }).length
    if (!largest || gz > largest.gz) largest = { file: c.file, gz }
  }
  if (largest) lines.push(`Largest on-demand chunk: ${largest.file}  ${kb(largest.gz)} KB`)
  return { ok, lines, jsKB: js.total / 1024, cssKB: styles.total / 1024 }
}

// Run as a command (not imported by its test).
if (import.meta.url.startsWith('file:') && process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist =
    process.argv[2] ?? fileURLToPath(new URL('../../backend/internal/spa/dist/', import.meta.url))
  const { ok, lines } = checkBudgets(dist)
  console.log(lines.join('\n'))
  if (!ok) {
    console.error(
      'Over the size budget (scripts/size-budget.mjs): load more code on demand, or justify raising the budget.',
    )
    process.exit(1)
  }
}

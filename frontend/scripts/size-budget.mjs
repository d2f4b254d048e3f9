// Fails the build when the JavaScript a first visit loads is over budget.
// "First load" = the entry chunk and every chunk it imports statically
// (read from Vite's manifest); routes loaded on demand are not counted.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const BUDGET_KB = 250
const dist = new URL('../../backend/internal/spa/dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))

const entry = Object.values(manifest).find((c) => c.isEntry)
if (!entry) throw new Error('no entry chunk in the Vite manifest')

const seen = new Set()
const walk = (chunk) => {
  if (seen.has(chunk.file)) return
  seen.add(chunk.file)
  for (const key of chunk.imports ?? []) walk(manifest[key])
}
walk(entry)

let total = 0
const rows = []
for (const file of seen) {
  if (!file.endsWith('.js')) continue
  const gz = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
  total += gz
  rows.push(`  ${file}  ${(gz / 1024).toFixed(1)} KB`)
}
const kb = total / 1024
console.log(
  `First-load JavaScript (gzip):\n${rows.join('\n')}\n  total ${kb.toFixed(1)} KB of ${BUDGET_KB} KB`,
)
if (kb > BUDGET_KB) {
  console.error(`Over the ${BUDGET_KB} KB budget: load more routes lazily.`)
  process.exit(1)
}

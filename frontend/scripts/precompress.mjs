// Writes NAME.gz beside each built asset worth compressing (gzip level 9
// from zlib), which the server sends as it is: Go's compress/gzip at its
// best level still makes files about 2.5 % larger, and these bytes are what
// the first-screen budget counts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const compressible = /\.(js|css|svg|json|html|txt)$/

/** Compresses every file over 1 KB under dir/assets; returns how many. */
export function precompress(dir) {
  const assets = join(dir, 'assets')
  let n = 0
  for (const name of readdirSync(assets)) {
    if (!compressible.test(name)) continue
    const raw = readFileSync(join(assets, name))
    if (raw.length <= 1024) continue
    writeFileSync(join(assets, `${name}.gz`), gzipSync(raw, { level: 9 }))
    n++
  }
  return n
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir =
    process.argv[2] ?? fileURLToPath(new URL('../../backend/internal/spa/dist/', import.meta.url))
  console.log(`precompressed ${precompress(dir)} assets (gzip -9)`)
}

// Rendering 50 rows of the triage table in Debian's chromium (issue 13,
// point 2: under 16 ms of main-thread work). A benchmark, not a test: it
// prints figures and fails only when it cannot measure.
//
//   node bench/list-render.mjs DIST [ITERATIONS] [WARMUP]
//
// DIST is the bench page built by `vite build --config vite.bench.config.ts`
// (make bench-web does both). The page (src/bench/listRender.tsx) renders the
// real table and marks each step; this script serves it on loopback, drives
// the runs, reads the main thread's CPU time at each mark from a Chrome trace
// (the work itself, whatever else the machine runs) beside the page's own
// clock (which also counts waiting for a core), and prints the median and
// p95 of each with the machine's load. BENCH_WEB_TRACE=FILE also saves the
// runs' timeline for DevTools' Performance panel (the figures are then higher).
import { readFile, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { cpus, loadavg } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'

const [dist, iterations = '200', warmup = '30'] = process.argv.slice(2)
if (!dist) {
  console.error('usage: node bench/list-render.mjs DIST [ITERATIONS] [WARMUP]')
  process.exit(2)
}

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
  const file = join(dist, path)
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file')
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    res.end(await readFile(file))
  } catch {
    res.writeHead(404).end()
  }
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port

/** Busy and total jiffies of all cores, from /proc/stat. */
async function cpuTimes() {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? ''
  const n = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = (n[3] ?? 0) + (n[4] ?? 0)
  const total = n.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')

const browser = await chromium.launch({
  executablePath: process.env.FLICKET_E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`http://127.0.0.1:${port}/bench/list-render.html`)
  await page.waitForFunction(() => window.flicketBench !== undefined, undefined, {
    timeout: 30_000,
  })
  if (errors.length) throw new Error(`the bench page failed: ${errors.join('; ')}`)

  // Warm-up: the code compiled and optimised, the formatters made, as on a page in use.
  await page.evaluate((n) => window.flicketBench.run(n), Number(warmup))

  const loadBefore = load()
  const cpuBefore = await cpuTimes()
  const started = Date.now()
  // Only the user-timing marks are traced (cheap); each carries the main thread's CPU clock.
  // BENCH_WEB_TRACE=FILE also records the timeline (slower) and saves it for DevTools.
  const traceFile = process.env.BENCH_WEB_TRACE
  const categories = ['blink.user_timing']
  if (traceFile) categories.push('devtools.timeline', 'disabled-by-default-devtools.timeline')
  await browser.startTracing(page, { categories })
  const clock = await page.evaluate((n) => window.flicketBench.run(n), Number(iterations))
  const traced = await browser.stopTracing()
  if (traceFile) await writeFile(traceFile, traced)
  const trace = JSON.parse(traced.toString())
  const seconds = (Date.now() - started) / 1000
  const cpuAfter = await cpuTimes()
  const busy =
    (100 * (cpuAfter.busy - cpuBefore.busy)) / Math.max(1, cpuAfter.total - cpuBefore.total)
  const rows = await page.evaluate(() => window.flicketBench.rows)

  // The main thread's CPU time from each run's start mark to its later marks, in ms.
  const cpu = {
    mount: { render: [], layout: [], painted: [] },
    next: { render: [], layout: [], painted: [] },
  }
  const starts = {}
  const steps = { rendered: 'render', 'laid-out': 'layout', painted: 'painted' }
  const marks = trace.traceEvents.filter((e) => e.cat === 'blink.user_timing')
  for (const e of marks.sort((a, b) => a.ts - b.ts)) {
    const [scenario, step] = String(e.name).split(':')
    if (!(scenario in cpu) || e.tts === undefined) continue
    if (step === 'start') starts[scenario] = e.tts
    else if (step in steps) cpu[scenario][steps[step]].push((e.tts - starts[scenario]) / 1000)
  }
  if (cpu.mount.painted.length !== Number(iterations)) {
    throw new Error(`expected ${iterations} traced runs, found ${cpu.mount.painted.length}`)
  }

  /** The q-quantile of xs (nearest rank). */
  const quantile = (xs, q) => {
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
  }
  const f = (x) => x.toFixed(1).padStart(7)
  const line = (name, scenario, step) =>
    `  ${name.padEnd(36)}${f(quantile(cpu[scenario][step], 0.5))}${f(quantile(cpu[scenario][step], 0.95))}   ${f(quantile(clock[scenario][step], 0.5))}${f(quantile(clock[scenario][step], 0.95))}`

  console.log(
    `Triage table, ${rows} realistic rows, Chromium ${browser.version()} headless, React production build, 1440×900`,
  )
  console.log(
    `  ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${loadBefore} before, ${load()} after;`,
  )
  console.log(
    `  all cores ${busy.toFixed(0)}% busy during the ${seconds.toFixed(0)} s run; ${iterations} runs after ${warmup} warm-up runs`,
  )
  console.log(`  ms from the change, cumulative          main-thread CPU      clock (with waits)`)
  console.log(`                                         median    p95      median    p95`)
  console.log(line('first page: React render + commit', 'mount', 'render'))
  console.log(line('  + style and layout', 'mount', 'layout'))
  console.log(line('  + next frame (paint, commit)', 'mount', 'painted'))
  console.log(line('next page: React render + commit', 'next', 'render'))
  console.log(line('  + style and layout', 'next', 'layout'))
  console.log(line('  + next frame (paint, commit)', 'next', 'painted'))
} finally {
  await browser.close()
  server.close()
}

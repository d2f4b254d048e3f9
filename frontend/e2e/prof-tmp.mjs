// usage: node prof.mjs N dirA dirB ... ; per-phase CPU medians of the mount scenario
import { chromium } from 'playwright-core'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join, extname } from 'node:path'
const [n, ...dirs] = process.argv.slice(2)
let dist
const server = createServer(async (req, res) => { try { const f = join(dist, new URL(req.url, 'http://x').pathname); const body = await readFile(f); res.writeHead(200, {'content-type': {'.html':'text/html','.js':'text/javascript','.css':'text/css'}[extname(f)] ?? 'application/octet-stream'}); res.end(body) } catch { res.writeHead(404).end() } })
await new Promise(r => server.listen(0, '127.0.0.1', r))
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] })
const phases = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'FunctionCall']
const med = xs => { const s=[...xs].sort((a,b)=>a-b); return s[Math.floor(s.length/2)] }
for (let round = 0; round < 2; round++) for (const d of dirs) {
  dist = d
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/list-render.html`)
  await page.waitForFunction(() => window.flicketBench)
  await page.evaluate(() => window.flicketBench.run(15))
  await browser.startTracing(page, { categories: ['blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] })
  await page.evaluate((n) => window.flicketBench.run(n), Number(n))
  const ev = JSON.parse((await browser.stopTracing()).toString()).traceEvents
  const main = ev.find(e => e.name === 'mount:start').tid
  const m = ev.filter(e => e.tid === main).sort((a,b)=>a.ts-b.ts)
  const out = {}
  for (const sc of ['mount', 'next']) {
    const starts = m.filter(e => e.name === sc+':start'), ends = m.filter(e => e.name === sc+':painted')
    const per = Object.fromEntries([...phases, 'total'].map(p => [p, []]))
    starts.forEach((s, i) => {
      const e = ends[i]
      per.total.push((e.tts - s.tts)/1000)
      for (const p of phases) per[p].push(m.filter(x => x.name === p && x.ph === 'X' && x.ts >= s.ts && x.ts <= e.ts).reduce((a, x) => a + (x.tdur ?? 0), 0) / 1000)
    })
    out[sc] = Object.entries(per).map(([k, v]) => `${k}=${med(v).toFixed(2)}`).join(' ')
  }
  console.log(d.padEnd(16), 'mount', out.mount); console.log(''.padEnd(16), 'next ', out.next)
  await page.close()
}
await browser.close(); server.close()

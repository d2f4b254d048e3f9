// The real bin/flicket on a fresh SQLite database in a temporary folder, on a
// free loopback port, plus a small admin API client for seeding.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..', '..', '..')
export const BINARY = join(ROOT, 'bin', 'flicket')
export const ADMIN_PASSWORD = 'e2e-Admin-pass1'
/** A plain user (no group), created through the API when a server starts. */
export const TECH = { username: 'tech', name: 'Tess Tech', password: 'Tech-pass-123' }

export interface FlicketServer {
  base: string
  /** Everything the server wrote to stdout and stderr so far. */
  log: string[]
  /** Whether the process has exited (it should not before stop). */
  exited(): boolean
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** Starts bin/flicket and waits until /healthz answers. */
export async function startServer(): Promise<FlicketServer> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run make build first`)
  const dir = mkdtempSync(join(tmpdir(), 'flicket-e2e-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const log: string[] = []
  const proc: ChildProcess = spawn(BINARY, ['serve'], {
    env: {
      ...process.env,
      FLICKET_DATABASE_URL: `sqlite://${join(dir, 'flicket.db')}`,
      FLICKET_UPLOAD_DIR: join(dir, 'uploads'),
      FLICKET_LISTEN: `127.0.0.1:${port}`,
      FLICKET_BASE_URL: base,
      FLICKET_ADMIN_PASSWORD: ADMIN_PASSWORD,
      FLICKET_BCRYPT_COST: '4',
      FLICKET_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout?.on('data', (d: Buffer) => log.push(String(d)))
  proc.stderr?.on('data', (d: Buffer) => log.push(String(d)))
  const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const server: FlicketServer = {
    base,
    log,
    exited: () => proc.exitCode !== null || proc.signalCode !== null,
    async stop() {
      if (!server.exited()) proc.kill('SIGTERM')
      await exit
      rmSync(dir, { recursive: true, force: true })
    },
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (server.exited()) {
      await server.stop()
      throw new Error(`flicket exited: ${log.join('')}`)
    }
    try {
      if ((await fetch(`${base}/healthz`)).ok) return server
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await server.stop()
  throw new Error(`flicket did not start within 30 s: ${log.join('')}`)
}

export type AdminApi = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>

/** Calls the API as the administrator (a token from POST /tokens): seeding only. */
export async function adminApi(base: string): Promise<AdminApi> {
  return userApi(base, 'admin', ADMIN_PASSWORD)
}

/** Calls the API as this user (a token from POST /tokens). */
export async function userApi(base: string, username: string, password: string): Promise<AdminApi> {
  const basic = Buffer.from(`${username}:${password}`).toString('base64')
  const r = await fetch(`${base}/flicket-api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}` },
  })
  if (!r.ok) throw new Error(`token: ${r.status} ${await r.text()}`)
  const { token } = (await r.json()) as { token: string }
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/flicket-api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
}

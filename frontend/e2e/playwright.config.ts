// End-to-end journeys: Debian's chromium (no browser download) against the
// real bin/flicket, one fresh SQLite database per worker (support/fixtures.ts).
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: './tests',
  outputDir: './results/test-results',
  // One worker: the machines this runs on have two cores, shared by the
  // server, the browser and often other builds. Each worker has its own
  // server, so `--workers 2` is safe where there is room.
  workers: 1,
  // No retries: a journey that fails once is a bug to fix, in the app or in
  // the journey.
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Worker fixtures are per project: the README's pictures get a server of
  // their own, showing only the data their journey seeds.
  projects: [
    { name: 'journeys', testIgnore: /screenshots\.spec\.ts$/ },
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts$/ },
  ],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    acceptDownloads: true,
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    // Traces cost about half as much CPU again: `--trace on` when needed.
    trace: 'off',
    launchOptions: {
      // Debian's chromium; CI runners elsewhere name their own browser.
      executablePath: process.env.FLICKET_E2E_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
})

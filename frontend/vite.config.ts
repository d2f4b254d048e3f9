/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The build goes straight into the Go package that embeds it
// (backend/internal/spa); `npm run build` re-creates dist/.gitkeep, which
// Vite's emptying of the folder removes.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../backend/internal/spa/dist',
    emptyOutDir: true,
    // The size budget (scripts/size-budget.mjs) reads this manifest.
    manifest: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Everything the entry imports statically is loaded on every visit
        // anyway: one chunk instead of ~15 shared ones (Box, react-dom,
        // useTranslation, Input, ...) that Rolldown split off because lazy
        // pages import them too. Same modules, fewer files: less import/export
        // glue and better gzip, 6.6 KB off the first screen (195.0 -> 188.4 KB).
        codeSplitting: {
          groups: [{ name: 'initial', tags: ['$initial'] }],
        },
      },
    },
  },
  server: {
    // `npm run dev` against a local `bin/flicket serve` (make run).
    proxy: { '/flicket-api': 'http://localhost:5000' },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.mjs'],
    // Typing into forms key by key is slow on a loaded two-core machine.
    testTimeout: 20_000,
  },
})

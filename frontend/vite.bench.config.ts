import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The triage table's render benchmark page (bench/list-render.html), built
// for production like the app but apart from it (make bench-web): it never
// reaches the embedded SPA or the size budget.
export default defineConfig({
  plugins: [react()],
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'node_modules/.bench-web',
    emptyOutDir: true,
    rolldownOptions: { input: 'bench/list-render.html' },
  },
})

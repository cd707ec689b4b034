/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

// The API serves the built dashboard (web/dist, embedded in the Go
// binary). In `npm run dev` Vite proxies /api to a running API.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: { '/api': process.env.SNOUT_API_URL ?? 'http://127.0.0.1:8080' },
  },
  build: {
    // web/dist/README stays (committed, for go:embed without a build).
    outDir: 'dist/app',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    css: false,
    // Typing tests drive user-event key by key: on a loaded two-core
    // machine that can take longer than the 5 s default.
    testTimeout: 20_000,
  },
})

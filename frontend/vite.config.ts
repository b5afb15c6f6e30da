/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the one origin (nginx) next to /api/v1; `npm run dev` proxies /api to it.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': process.env.PUREBOOT_ORIGIN ?? 'http://127.0.0.1:8080' },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    // scripts/check-bundle-budget.mjs reads the chunk graph from it.
    manifest: true,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // The machine is shared; typing into forms can be slow under load.
    testTimeout: 30_000,
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the one origin (nginx) next to /api/v1; `npm run dev` proxies /api to its HTTPS port
// (the plain port refuses the API). `secure: false`: the development CA's certificate (deploy/dev/ca.sh).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: process.env.PUREBOOT_ORIGIN ?? 'https://127.0.0.1:8443', secure: false } },
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

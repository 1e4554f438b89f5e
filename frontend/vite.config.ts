/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The Wails dev server proxies to this Vite server; the port is fixed per run through COCKPIT_VITE_PORT so a
// test run can use a non-default one and not collide with a developer's `wails dev`.
const port = Number(process.env.COCKPIT_VITE_PORT ?? 5173);

export default defineConfig({
  plugins: [
    react(),
    // Vite empties dist/ on every build, but main.go embeds frontend/dist and `go vet` on a clean checkout needs
    // the directory to exist, so the tracked placeholder is put back after each build.
    { name: 'keep-dist-placeholder', closeBundle: () => writeFileSync(resolve(__dirname, 'dist/.gitkeep'), '') },
  ],
  server: { host: '127.0.0.1', port, strictPort: true },
  // No manual chunks: Rollup splits by import, so the start-up chunk holds only what the shell, the sign-in
  // form and the board use, and the lazily loaded views bring their own components (and ECharts) along.
  build: { chunkSizeWarningLimit: 2500 },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 90000, // the 2-core CI box runs vitest beside Go builds; rendering Ant Design is slow there
  },
});

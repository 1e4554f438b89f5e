/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

// `import 'virtual:antd-startup.css'` (main.tsx): in a build, the Ant Design styles of the start-up screens,
// rendered ahead of time by scripts/antd-startup-css.cjs so the web view does not compute them on the way to
// the first board. A dev server gets an empty module: its class hashes are the dev ones, styled at run time.
function antdStartupCss(): Plugin {
  const id = 'virtual:antd-startup.css';
  let build = false;
  return {
    name: 'antd-startup-css',
    configResolved: (c) => void (build = c.command === 'build' && !c.build.ssr),
    resolveId: (source) => (source === id ? '\0' + id : undefined),
    load(source) {
      if (source !== '\0' + id) return undefined;
      if (!build) return '';
      return execFileSync(process.execPath, [resolve(__dirname, 'scripts/antd-startup-css.cjs')], {
        env: { ...process.env, NODE_ENV: 'production' },
        encoding: 'utf8',
        maxBuffer: 16 << 20,
      });
    },
  };
}

// The Wails dev server proxies to this Vite server; the port is fixed per run through COCKPIT_VITE_PORT so a
// test run can use a non-default one and not collide with a developer's `wails dev`.
const port = Number(process.env.COCKPIT_VITE_PORT ?? 5173);

export default defineConfig({
  plugins: [
    react(),
    antdStartupCss(),
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

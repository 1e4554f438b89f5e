// Minimal E2E runner: Debian's Chromium driven by playwright-core (Playwright's own browser download is not
// possible here) against the app served by `wails dev` (COCKPIT_URL). Runs every e2e/*.spec.mjs in name order;
// each exports `specs`: [{ name, run(ctx) }], run in sequence on one page (later specs build on earlier ones,
// as a supervisor's session would). A failing spec leaves a screenshot in $ARTIFACTS and fails the run.
import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const url = process.env.COCKPIT_URL ?? 'http://127.0.0.1:34115/';
const artifacts = process.env.ARTIFACTS ?? join(here, '..', '..', 'artifacts');
const only = process.env.E2E_ONLY ?? ''; // a substring of spec names, for local runs

const profile = mkdtempSync(join(tmpdir(), 'cockpit-chromium-'));
// A fresh profile per run (playwright-core passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
  viewport: { width: 1440, height: 900 },
  locale: 'zh-CN',
});
const page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.setDefaultTimeout(20000);

const ctx = { page, url, artifacts, env: process.env, state: {} };
let failed = 0;
const files = readdirSync(here).filter((f) => f.endsWith('.spec.mjs')).sort();
for (const file of files) {
  const { specs } = await import(join(here, file));
  for (const spec of specs) {
    const name = `${file.replace('.spec.mjs', '')} › ${spec.name}`;
    if (only && !name.includes(only)) continue;
    const start = Date.now();
    // Errors are reported with the spec they happened in, not with whichever spec fails later.
    consoleErrors.length = 0;
    try {
      await spec.run(ctx);
      console.log(`ok   ${name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      const shot = join(artifacts, `e2e-fail-${name.replace(/[^\w]+/g, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      console.log(`FAIL ${name} (${Date.now() - start} ms): ${e?.stack ?? e}\n     screenshot: ${shot}`);
      if (consoleErrors.length) console.log(`     browser console errors during this spec:\n       ${consoleErrors.slice(-10).join('\n       ')}`);
    }
  }
}
await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(failed ? `${failed} e2e spec(s) failed` : 'all e2e specs passed');
process.exit(failed ? 1 : 0);

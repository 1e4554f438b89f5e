// Helpers shared by the specs.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export { assert };

/** The number in "共 N 件" / "N cases" of the board toolbar. */
export async function boardTotal(page) {
  const text = await page.getByTestId('board-total').innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

/** Waits until fn() returns a truthy value (polling), returns it. */
export async function until(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function shot(ctx, name) {
  await ctx.page.screenshot({ path: join(ctx.artifacts, `e2e-${name}.png`) });
}

export async function openBoard(ctx) {
  await ctx.page.goto(`${ctx.url}#/board`);
  await ctx.page.getByTestId('case-card').first().waitFor();
}

/** The demo workspace's staff (backend/demo/staff.go): every demo user has this password. */
export const DEMO_PASSWORD = 'cockpit-demo';

/** Signs in through the sign-in screen (signing out first if someone else is signed in). */
export async function signIn(ctx, username) {
  const { page } = ctx;
  await page.goto(`${ctx.url}#/board`);
  const form = page.getByTestId('signin-form');
  const who = page.getByTestId('signed-in-as');
  await Promise.race([form.waitFor(), who.waitFor()]);
  if (await who.isVisible()) {
    const current = await page.evaluate(() => window.go.app.People.State().then((s) => s.user?.username));
    if (current === username) return;
    await page.getByTestId('sign-out').click();
    await form.waitFor();
  }
  await form.locator('input').nth(0).fill(username);
  await form.locator('input[type=password]').fill(DEMO_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await who.waitFor();
}

/** Runs the cockpit CLI on the workspace the app has open (read-only commands share the data dir). */
export async function cli(ctx, ...args) {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(ctx.env.COCKPIT_BIN, ['--data-dir', ctx.env.COCKPIT_DATA, ...args], { timeout: 30000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`cockpit ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

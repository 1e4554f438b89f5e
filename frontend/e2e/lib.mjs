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

// The order-number patterns through the real Sources service: a manager adds a shop's own order format,
// tries it on a sample, saves it (audited), and a supervisor then sees it read-only.
import { assert, shot, signIn, until } from './lib.mjs';

export const specs = [
  {
    name: 'order patterns: a manager adds, tries and saves a pattern; a supervisor reads it',
    async run(ctx) {
      const { page } = ctx;
      await signIn(ctx, 'zhao.min');
      await page.goto(`${ctx.url}#/sources`);
      const card = page.getByTestId('order-patterns');
      await card.waitFor();
      // The card renders before the patterns arrive: wait for the built-in list rather than count at once.
      const platforms = page.locator('[data-testid^="pattern-platform-"]');
      const rows = await until(async () => { const n = await platforms.count(); return n >= 5 && n; }, 'the built-in list (5 or more rows)');
      await page.getByTestId('pattern-add').click();
      await page.getByTestId(`pattern-platform-${rows}`).fill('shop');
      await page.getByTestId(`pattern-regexp-${rows}`).fill('商城单号\\s*(SH\\d{8})');
      await page.getByTestId('patterns-sample').fill('您好，商城单号 SH20261125 的奶粉还没到');
      await page.getByTestId('patterns-try').click();
      await until(async () => /shop: SH20261125/.test(await page.getByTestId('patterns-found').innerText()), 'the sample to show the shop order number');
      await shot(ctx, 'order-patterns');
      await page.getByTestId('patterns-save').click();
      await until(async () => (await page.evaluate(() => window.go.app.Sources.OrderPatterns())).custom, 'the patterns to be saved');
      const saved = await page.evaluate(() => window.go.app.Sources.OrderPatterns());
      assert.deepEqual(saved.patterns.at(-1), { platform: 'shop', regexp: '商城单号\\s*(SH\\d{8})' });

      await signIn(ctx, 'zhang.wei');
      await page.goto(`${ctx.url}#/sources`);
      await card.waitFor();
      await until(async () => /SH\\d\{8\}/.test(await card.innerText()), 'the saved pattern to show');
      assert.equal(await page.getByTestId('pattern-add').count(), 0, 'a supervisor cannot add patterns');
    },
  },
];

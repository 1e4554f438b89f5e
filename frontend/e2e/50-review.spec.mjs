// The daily review renders its charts over the demo range and exports its figures as CSV into the workspace.
import { assert, shot, until } from './lib.mjs';
import { existsSync, readFileSync } from 'node:fs';

export const specs = [
  {
    name: 'daily review charts and CSV export',
    async run(ctx) {
      const { page } = ctx;
      await page.goto(`${ctx.url}#/review`);
      await page.getByTestId('chart-type').locator('canvas').waitFor();
      await page.getByTestId('chart-hour').locator('canvas').waitFor();
      await shot(ctx, 'review');
      await page.getByTestId('export-csv').click();
      const msg = await until(async () => {
        const t = await page.locator('.ant-message').innerText().catch(() => '');
        return /\.csv/.test(t) ? t : '';
      }, 'the export message');
      const path = msg.slice(msg.indexOf('/')).trim();
      assert.ok(existsSync(path), `exported file ${path} exists`);
      assert.match(readFileSync(path, 'utf8'), /product|商品/);
    },
  },
];

// Shift handover from one demo supervisor to the next, signed off and acknowledged.
import { assert, shot, signIn } from './lib.mjs';

export const specs = [
  {
    name: 'zhang.wei hands over to li.na, li.na acknowledges, the history shows it',
    async run(ctx) {
      const { page } = ctx;
      await signIn(ctx, 'zhang.wei');
      await page.goto(`${ctx.url}#/shift`);
      await page.getByRole('tab', { name: /交班|Hand over/ }).click();
      await page.getByTestId('handover-to').click();
      await page.getByTitle(/李娜/).first().click();
      const notes = 'E2E 交接：奶粉批次事件仍在处理，注意 12315 答复期限';
      await page.getByTestId('handover-notes').fill(notes);
      await page.getByTestId('handover-generate').click();
      await page.getByTestId('handover-sheet').waitFor();
      await page.getByTestId('handover-signoff').click();
      await page.getByTestId('handover-sheet').getByText(/已签字|Signed/).waitFor();
      await shot(ctx, 'handover-signed');

      await signIn(ctx, 'li.na');
      await page.goto(`${ctx.url}#/shift`);
      await page.getByRole('tab', { name: /待接班|Incoming/ }).click();
      const sheet = page.getByTestId('incoming-sheet').filter({ hasText: notes });
      await sheet.waitFor();
      await sheet.getByTestId('handover-ack').click();
      await sheet.waitFor({ state: 'detached' });
      await page.getByRole('tab', { name: /交接记录|History/ }).click();
      const row = page.getByTestId('handover-history').locator('tr').filter({ hasText: /李娜|li\.na/ }).first();
      assert.match(await row.innerText(), /已确认|Acknowledged/);
      await shot(ctx, 'handover-history');
    },
  },
];

// Reply drafting: a draft with 稍等 is flagged with its explanation and only recorded on explicit override.
import { assert, shot } from './lib.mjs';

export const specs = [
  {
    name: 'a reply containing 稍等 shows the forbidden-phrase warning; recording it needs an override',
    async run(ctx) {
      const { page } = ctx;
      await page.goto(`${ctx.url}#/case/${ctx.state.movedCase}`);
      await page.getByTestId('case-view').waitFor();
      await page.getByRole('tab', { name: /回复|Reply/ }).click();
      await page.getByTestId('script-item').first().waitFor();
      await page.getByTestId('reply-text').fill('您好，请稍等，我们马上为您核实奶粉批次的问题。');
      const warning = page.getByTestId('forbidden-warning');
      await warning.waitFor();
      assert.equal(await warning.locator('mark.forbidden').first().innerText(), '稍等');
      assert.ok(await page.getByTestId('reply-record').isDisabled(), 'recording is blocked until overridden');
      await shot(ctx, 'reply-warning');
      await page.getByTestId('reply-override').click();
      await page.getByTestId('reply-record').click();
      await page.getByRole('tab', { name: /时间线|Timeline/ }).click();
      await page.locator('[data-testid="timeline-item"][data-kind="reply"]').first().waitFor();
    },
  },
];

// Test connection through the real Sources service. The e2e app opens the demo workspace without its
// mail server (that runs only with --demo), so the saved demo mailbox is unreachable here: the test must
// say so in the form, with the stored password used and not shown. The found-it view (capabilities,
// folders) is covered by SourcesView.test.tsx and, against Dovecot, by the Go tests.
import { assert, shot, signIn, until } from './lib.mjs';

export const specs = [
  {
    name: 'sources: testing an unreachable mailbox says why in the form',
    async run(ctx) {
      const { page } = ctx;
      await signIn(ctx, 'zhao.min');
      await page.goto(`${ctx.url}#/sources`);
      const edit = page.locator('[data-testid^="edit-"]').first();
      await edit.waitFor();
      await edit.click();
      await page.getByTestId('f-test').click();
      const error = page.getByTestId('form-error');
      await until(async () => (await error.count()) > 0 && /connect to 127\.0\.0\.1:\d+/.test(await error.innerText()), 'the connection error in the form');
      assert.equal(await page.getByTestId('test-result').count(), 0, 'no result shown for a failed test');
      assert.doesNotMatch(await error.innerText(), /cockpit-demo|password/i, 'the error names no password');
      await shot(ctx, 'sources-connection-test-unreachable');
    },
  },
];

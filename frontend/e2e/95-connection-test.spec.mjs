// Test connection through the real Sources service. The first spec edits the saved demo mailbox to a port
// nothing listens on: the test must say so in the form and show no password. The second adds a mailbox on
// a real Dovecot.
import { assert, shot, signIn, until } from './lib.mjs';

export const specs = [
  {
    name: 'sources: testing a mailbox nobody answers on says why in the form',
    async run(ctx) {
      const { page } = ctx;
      await signIn(ctx, 'zhao.min');
      await page.goto(`${ctx.url}#/sources`);
      const edit = page.locator('[data-testid^="edit-"]').first();
      await edit.waitFor();
      await edit.click();
      // The form is filled from the saved account before anything is tried.
      await until(async () => (await page.getByTestId('f-host').inputValue()) === '127.0.0.1', 'the saved settings in the form');
      // Port 1: nothing listens there, whatever else this machine runs (the demo's own port was only free).
      await page.getByTestId('f-port').fill('1');
      await page.getByTestId('f-test').click();
      const error = page.getByTestId('form-error');
      await until(async () => (await error.count()) > 0 && /connect to 127\.0\.0\.1:1\b/.test(await error.innerText()), 'the connection error in the form', 40_000);
      assert.equal(await page.getByTestId('test-result').count(), 0, 'no result shown for a failed test');
      assert.doesNotMatch(await error.innerText(), /cockpit-demo|password/i, 'the error names no password');
      await shot(ctx, 'sources-connection-test-unreachable');
    },
  },
];

// A mailbox added through the window against a real Dovecot (scripts/e2e/imapserver, started by
// with-wails-dev.sh): the connection test lists its folders, the Chinese regulator folder is picked from
// that list as a regulator folder, and "sync now" brings its mail in.
specs.push({
  name: 'sources: a manager adds a mailbox on a real IMAP server, picks a folder from the test and syncs it',
  async run(ctx) {
    const { page } = ctx;
    if (!ctx.env.COCKPIT_IMAP) {
      if (ctx.env.COCKPIT_CI === '1') throw new Error('COCKPIT_CI=1 and no IMAP server for the e2e (is Dovecot installed?)');
      console.log('     skipped: no IMAP server (Dovecot not installed)');
      return;
    }
    const imap = JSON.parse(ctx.env.COCKPIT_IMAP);
    await signIn(ctx, 'zhao.min');
    await page.goto(`${ctx.url}#/sources`);
    await page.getByTestId('add-account').click();
    await page.getByTestId('f-name').fill('e2e 投诉邮箱');
    await page.getByTestId('f-host').fill(imap.host);
    await page.getByTestId('f-port').fill(String(imap.port));
    await page.getByTestId('f-security').click();
    await page.locator('.ant-select-item-option[title="不加密（仅本机）"]').click();
    await page.getByTestId('f-user').fill(imap.user);
    await page.getByTestId('f-password').fill(imap.password);
    await page.getByTestId('f-test').click();
    const result = page.getByTestId('test-result');
    await result.waitFor({ timeout: 30_000 });
    await until(async () => (await result.innerText()).includes(imap.regulatorFolder), 'the Chinese folder in the test result');
    assert.match(await page.getByTestId('test-idle').innerText(), /IDLE/);
    await page.getByTestId(`test-add-regulator-${imap.regulatorFolder}`).click();
    await until(async () => (await page.getByTestId(`test-add-regulator-${imap.regulatorFolder}`).count()) === 0, 'the folder to join the form');
    await shot(ctx, 'sources-connection-test');
    await page.getByTestId('f-save').click();
    const account = await until(async () => (await page.evaluate(() => window.go.app.Sources.ListAccounts()))
      .find((a) => a.name === 'e2e 投诉邮箱'), 'the account to be saved');
    assert.deepEqual(Object.fromEntries(account.folders.map((f) => [f.name, f.role])), { INBOX: 'complaints', [imap.regulatorFolder]: 'regulator' });
    await page.getByTestId(`sync-${account.id}`).click();
    await until(async () => {
      const a = (await page.evaluate(() => window.go.app.Sources.ListAccounts())).find((x) => x.id === account.id);
      const count = (name) => a?.folders.find((f) => f.name === name)?.message_count;
      return count('INBOX') === imap.inbox && count(imap.regulatorFolder) === 1;
    }, 'both folders synced', 30_000);
    await until(async () => (await page.getByTestId('mail-accounts').innerText()).includes(imap.regulatorFolder), 'the folder status on the page');
    await shot(ctx, 'sources-mailbox-added');
  },
});

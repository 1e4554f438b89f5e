// Compensation through the real window: a supervisor computes statutory damages and requests them on a case,
// cannot approve their own request, a manager approves it from the queue, and the audit chain records it.
import { assert, cli, shot, signIn, until } from './lib.mjs';

export const specs = [
  {
    name: 'a supervisor requests statutory damages; only a manager can approve; the audit chain holds',
    async run(ctx) {
      const { page } = ctx;
      const first = JSON.parse((await cli(ctx, 'cases', '--json')).split('\n')[0]);
      const caseId = first.id;
      // Run alone (E2E_ONLY) this is the first page load: Vite's cold start takes longer than one step may.
      await page.goto(ctx.url, { timeout: 180000 });
      await page.waitForFunction(() => window.go?.app?.People !== undefined, null, { timeout: 180000 });
      await signIn(ctx, 'zhang.wei');
      await page.goto(`${ctx.url}#/case/${caseId}`);
      await page.getByTestId('case-view').waitFor();
      await page.getByRole('tab', { name: /赔偿|Compensation/ }).click();
      await page.getByTestId('calc-price').fill('99.90');
      await page.getByTestId('calc-run').click();
      assert.match(await page.getByTestId('calc-result').innerText(), /500\.00/);
      await page.getByRole('button', { name: /用此金额申请法定赔偿|Request statutory damages/ }).click();
      assert.equal(await page.getByTestId('comp-amount').inputValue(), '500.00');
      await page.getByTestId('comp-reason').fill('虚假宣传“有机”，按消保法第55条');
      await page.getByTestId('comp-submit').click();
      const id = await until(async () => {
        const list = await page.evaluate((c) => window.go.app.Approvals.ForCase(c), caseId);
        return (list ?? []).find((r) => r.type === 'statutory_damages' && r.status === 'pending' && r.requester === 'zhang.wei')?.id;
      }, 'the new request');
      await shot(ctx, 'compensation-tab');

      // The requester sees their request in the queue without an approve button, and the binding refuses too.
      await page.goto(`${ctx.url}#/approvals`);
      await page.getByTestId('approvals-view').waitFor();
      await page.getByText(/自己的申请不能自己审批|cannot decide your own/).first().waitFor();
      assert.equal(await page.getByTestId(`approve-${id}`).count(), 0);
      const refused = await page.evaluate((r) => window.go.app.Approvals.Decide(r, 'approve', '').then(() => 'approved', (e) => String(e)), id);
      assert.match(refused, /own compensation request/);

      await signIn(ctx, 'zhao.min');
      await page.goto(`${ctx.url}#/approvals`);
      await page.getByTestId(`approve-${id}`).waitFor();
      await shot(ctx, 'approvals-queue');
      await page.getByTestId(`approve-${id}`).click();
      await until(async () => (await page.getByTestId(`approve-${id}`).count()) === 0, 'the request to leave the queue');

      const decided = (await cli(ctx, 'audit', 'list', '--object', `compensation:${id}`, '--json')).trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(decided.map((r) => `${r.actor}:${r.action}`).reverse(),
        ['zhang.wei:compensation.request', 'zhang.wei:compensation.self_decision_refused', 'zhao.min:compensation.approve']);
      assert.match(await cli(ctx, 'audit', 'verify'), /intact/);
    },
  },
];

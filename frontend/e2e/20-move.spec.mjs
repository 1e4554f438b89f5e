// Drag a card to level 1: the reason dialog, the move on the timeline, and the audit entry in the trail.
import { assert, cli, openBoard, shot, until } from './lib.mjs';

export const specs = [
  {
    name: 'drag a card to level 1 with a reason; the timeline and the audit trail record it',
    async run(ctx) {
      const { page } = ctx;
      await openBoard(ctx);
      let from = '';
      for (const col of ['L3', 'L2', 'L0']) {
        if ((await page.getByTestId(`column-${col}`).getByTestId('case-card').count()) > 0) { from = col; break; }
      }
      assert.ok(from, 'a card outside level 1 to drag');
      const card = page.getByTestId(`column-${from}`).getByTestId('case-card').first();
      const id = Number(await card.getAttribute('data-case-id'));
      await card.dragTo(page.getByTestId('column-L1'));
      const reason = `E2E: 客户提到婴儿腹泻，升为一级 #${id}`;
      await page.getByTestId('move-reason').fill(reason);
      await page.locator('#move-ok').click();
      await page.getByTestId('move-reason').waitFor({ state: 'detached' });
      await until(async () => (await page.getByTestId('column-L1').locator(`[data-case-id="${id}"]`).count()) > 0, `case ${id} in the level-1 column`);
      await shot(ctx, 'board-moved');
      // The case's timeline has the level change with the reason.
      await page.goto(`${ctx.url}#/case/${id}`);
      const item = page.getByTestId('timeline-item').filter({ hasText: reason });
      await item.first().waitFor();
      assert.match(await page.getByTestId('case-level').innerText(), /1/);
      // And the append-only audit trail (read through the CLI on the same workspace) names the move.
      const trail = await cli(ctx, 'audit', 'list', '--object', `case:${id}`, '--json');
      assert.ok(trail.includes(reason), `the audit trail of case ${id} has the move with its reason:\n${trail.slice(-2000)}`);
      ctx.state.movedCase = id;
    },
  },
];

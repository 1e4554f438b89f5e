// The board over the demo workspace: columns with counts, search in Chinese, open a case and its timeline, filter.
import { assert, boardTotal, openBoard, shot, signIn, until } from './lib.mjs';

export const specs = [
  {
    name: 'the board shows the demo cases by level',
    async run(ctx) {
      const { page } = ctx;
      await page.goto(ctx.url);
      await page.waitForFunction(() => window.go?.app?.Board !== undefined);
      await signIn(ctx, 'zhang.wei');
      await openBoard(ctx);
      ctx.state.total = await until(async () => boardTotal(page), 'a board total');
      assert.ok(ctx.state.total >= 300, `demo board has ${ctx.state.total} cases, want >= 300`);
      for (const col of ['L1', 'L2', 'L3', 'L0']) await page.getByTestId(`column-${col}`).waitFor();
      await shot(ctx, 'board');
    },
  },
  {
    name: 'search 奶粉 narrows the board to matching cases',
    async run(ctx) {
      const { page } = ctx;
      const search = page.getByPlaceholder(/搜索|Search/);
      await search.fill('奶粉');
      await search.press('Enter');
      const n = await until(async () => { const t = await boardTotal(page); return t > 0 && t < ctx.state.total ? t : 0; }, 'the search to narrow the board');
      ctx.state.milk = n;
      await page.getByTestId('case-card').first().waitFor();
      await shot(ctx, 'board-search-milk');
    },
  },
  {
    name: 'open a case and see its timeline',
    async run(ctx) {
      const { page } = ctx;
      await page.getByTestId('case-card').first().locator('a').click();
      await page.getByTestId('case-view').waitFor();
      await page.getByTestId('timeline-item').first().waitFor();
      const text = await page.getByTestId('case-view').innerText();
      assert.match(text, /奶粉/, 'the case found by 奶粉 mentions 奶粉');
      ctx.state.caseUrl = page.url();
      await shot(ctx, 'case');
    },
  },
  {
    name: 'a mail the customer followed up on shows as answered in the mailbox',
    async run(ctx) {
      const { page } = ctx;
      // The demo mailbox holds its mail as a front line left it: each message followed up on is \Answered.
      const list = await page.evaluate(() => window.go.app.Cases.List({ query: '', level: 0, status: '', limit: 500 }));
      const followed = list.find((c) => c.message_count >= 2 && c.channels?.length === 1 && c.channels[0] === 'email');
      assert.ok(followed, 'a demo case with a follow-up mail');
      await page.goto(`${ctx.url}#/case/${followed.id}`);
      const state = page.getByTestId('timeline-item').first().getByTestId('mailbox-state');
      await until(async () => /邮箱中已回复|Answered in the mailbox/.test(await state.innerText()), 'the answered tag on the first mail');
      await shot(ctx, 'case-mailbox-answered');
    },
  },
  {
    name: 'filter by type keeps only that type',
    async run(ctx) {
      const { page } = ctx;
      await openBoard(ctx);
      const before = await until(async () => boardTotal(page), 'board total');
      await page.getByTestId('filter-regulator').click();
      const after = await until(async () => { const t = await boardTotal(page); return t < before ? t : 0; }, 'the regulator filter to narrow the board');
      assert.ok(after > 0, 'the demo has regulator matters');
      const tags = await page.getByTestId('case-card').first().innerText();
      assert.match(tags, /12315/, 'a regulator card carries the 12315 tag');
      await page.getByTestId('filter-regulator').click();
      await until(async () => (await boardTotal(page)) === before, 'the filter to clear');
    },
  },
  {
    name: 'breached only keeps cards whose clock is past due',
    async run(ctx) {
      const { page } = ctx;
      const before = await until(async () => boardTotal(page), 'board total');
      await page.getByTestId('filter-breached').click();
      await until(async () => { const t = await boardTotal(page); return t > 0 && t < before; }, 'the breached filter to narrow the board');
      const urgencies = () => page.locator('[data-testid="case-card"] .countdown').evaluateAll((els) => els.map((e) => e.getAttribute('data-urgency') ?? 'none'));
      const seen = await until(async () => { const u = await urgencies(); return u.length > 0 && u.every((x) => x === 'breached') ? u : null; }, 'only breached clocks on the cards');
      assert.ok(seen.length > 0);
      await shot(ctx, 'board-breached');
      await page.getByTestId('filter-breached').click();
      await until(async () => (await boardTotal(page)) === before, 'the filter to clear');
    },
  },
  {
    name: 'a shift keeps its supervisor\'s cases',
    async run(ctx) {
      const { page } = ctx;
      const before = await until(async () => boardTotal(page), 'board total');
      // A shift whose supervisor owns cards on the board, so the narrowed board is not empty.
      const owner = await page.getByTestId('owner-target').first().innerText();
      await page.getByTestId('filter-shift').click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: ` · ${owner} · ` }).first();
      const label = await option.innerText();
      await option.click();
      await until(async () => { const t = await boardTotal(page); return t > 0 && t < before; }, 'the shift filter to narrow the board');
      const owners = await page.locator('[data-testid="case-card"] .case-card-meta span:nth-child(3)').allInnerTexts();
      assert.ok(owners.length > 0 && owners.every((o) => o === owner), `cards of shift "${label}" are owned by ${[...new Set(owners)].join(', ')}`);
      await shot(ctx, 'board-shift');
      await page.getByTestId('filter-shift').locator('.ant-select-clear').click();
      await until(async () => (await boardTotal(page)) === before, 'the filter to clear');
    },
  },
];

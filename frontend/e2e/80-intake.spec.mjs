// File imports and regulator letters through the real windowed services: the legal liaison previews a GB18030
// sheet with a broken row, imports it, sees the bad-row report and undoes the import; then a letter dropped
// into a watched folder is read, confirmed and filed as a new regulator matter.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, boardTotal, openBoard, shot, signIn, until } from './lib.mjs';

// 标题,内容,客户,日期 / 奶粉结块,…,2026-11-20 / 包装破损,…,2026-13-45 (an impossible date), CRLF, in GB18030 as
// Chinese Excel saves "CSV".
const sheetGB18030 = Buffer.from('b1eacce22cc4dac8dd2cbfcdbba72cc8d5c6da0d0ac4ccb7dbbde1bfe92cb4f2bfaab7a2cfd6bde1bfe92ccdf5d0a1c3f72c323032362d31312d32300d0ab0fcd7b0c6c6cbf02ccde2cfe4d1b9bbb52cc0eecbc42c323032362d31332d34350d0a', 'hex');

export const specs = [
  {
    name: 'imports: preview a GB18030 sheet, import, bad-row report, undo',
    async run(ctx) {
      const { page } = ctx;
      const dir = mkdtempSync(join(tmpdir(), 'cockpit-e2e-import-'));
      const path = join(dir, '投诉表.csv');
      writeFileSync(path, sheetGB18030);
      await signIn(ctx, 'chen.jing');
      await page.goto(`${ctx.url}#/imports`);
      await page.getByTestId('imports-view').waitFor();
      await page.getByTestId('import-path').fill(path);
      await page.getByTestId('preview').click();
      const summary = page.getByTestId('preview-summary');
      await summary.waitFor();
      assert.match(await summary.innerText(), /gb18030/);
      assert.match(await page.getByTestId('bad-rows').innerText(), /2026-13-45/);
      await shot(ctx, 'imports-preview');
      await page.getByTestId('run-import').click();
      const report = page.getByTestId('import-report');
      await report.waitFor();
      assert.match(await report.innerText(), /1/);
      const undo = page.locator('[data-testid^="undo-"]').first();
      await undo.click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await until(async () => (await page.locator('[data-testid^="undo-"]').count()) === 0, 'the import to show as undone');
      await shot(ctx, 'imports-undone');
    },
  },
  {
    name: 'letters: a letter in the watched folder is read, confirmed and filed as a new matter',
    async run(ctx) {
      const { page } = ctx;
      const folder = mkdtempSync(join(tmpdir(), 'cockpit-e2e-letters-'));
      writeFileSync(join(folder, '转办函.txt'), '杭州市西湖区市场监督管理局\n工单编号：E2E12315-0099\n请于2026年12月3日前书面回复。\n2026年11月24日\n');
      // The folder chooser is a native dialog; the folder goes in through the same bound service.
      await page.evaluate(async (f) => { await window.go.app.Letters.AddFolder('E2E 来函', f); }, folder);
      await page.goto(`${ctx.url}#/letters`);
      await page.getByTestId('letters-view').waitFor();
      await page.getByText('转办函.txt').click();
      const form = page.getByTestId('confirm-form');
      await form.waitFor();
      assert.equal(await form.locator('input').first().inputValue(), 'E2E12315-0099');
      await shot(ctx, 'letters-confirm');
      await page.getByTestId('file-letter').click();
      await until(async () => (await page.getByText('转办函.txt').count()) === 0, 'the letter to leave the to-confirm list');
      const filed = await page.evaluate(async () => (await window.go.app.Letters.List('filed')).find((l) => l.work_order_no === 'E2E12315-0099'));
      assert.ok(filed && filed.case_id > 0, 'the letter is filed in a case');
      ctx.state.letterCase = filed.case_id;
    },
  },
  {
    name: 'the board\'s source filter lists the sources by kind and narrows to the letters folder\'s matter',
    async run(ctx) {
      const { page } = ctx;
      await openBoard(ctx);
      const before = await until(async () => boardTotal(page), 'board total');
      await page.getByTestId('filter-source').click();
      const dropdown = page.locator('.ant-select-dropdown:visible');
      await dropdown.getByText('邮箱（IMAP）').waitFor();
      await dropdown.locator('.ant-select-item-option').filter({ hasText: 'E2E 来函' }).click();
      await until(async () => (await boardTotal(page)) === 1, 'the letters source to narrow the board to its one matter');
      assert.equal(await page.getByTestId('case-card').first().getAttribute('data-case-id'), String(ctx.state.letterCase));
      // Adding the demo mailbox brings its cases back beside the letter's.
      await dropdown.locator('.ant-select-item-option').filter({ hasText: '演示邮箱' }).click();
      await until(async () => { const t = await boardTotal(page); return t > 1 && t <= before; }, 'the mailbox\'s cases to join');
      await shot(ctx, 'board-source');
      await page.getByTestId('filter-source').locator('.ant-select-clear').click();
      await until(async () => (await boardTotal(page)) === before, 'the filter to clear');
    },
  },
];

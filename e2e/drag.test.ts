/**
 * Drag and drop inside the app: a selection of rows dragged onto a folder in the tree, one row
 * onto a folder row in the table, a card onto a folder card; each with a drop indicator and the
 * same move job as "Move to Folder". Real: the server (fs lake, job workers), Debian Chromium.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, expectRows, row } from './support/ui.js';

const app = appUnderTest();

/** A drag by the mouse, step by step, so the drop indicator can be seen before the drop. */
async function drag(from: Locator, to: Locator, shot: string): Promise<void> {
  const { page } = app;
  await from.hover();
  await page.mouse.down();
  const box = (await to.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  // The target shows it takes the drop: a tree entry by its class, a row or a card by an attribute.
  await expect
    .poll(
      async () =>
        (await to.getAttribute('data-drop-target')) === 'true' ||
        /is-drop-target/.test((await to.getAttribute('class')) ?? ''),
    )
    .toBe(true);
  await screenshot(page, shot);
  await page.mouse.up();
}

it('drags a selection of rows onto a folder in the tree, and one row onto a folder row', async () => {
  const { page, server } = app;
  await server.seed({
    'Drag/Inbox/x1.mov': Buffer.alloc(10, 1),
    'Drag/Inbox/x2.mov': Buffer.alloc(20, 1),
    'Drag/Inbox/x3.mov': Buffer.alloc(30, 1),
    'Drag/Inbox/Sub/': '',
    'Drag/Target/': '',
  });
  await page.goto(browseUrl('/Drag/Inbox'));
  await expectRows(page, ['Sub', 'x1.mov', 'x2.mov', 'x3.mov']);

  await row(page, 'x1.mov').click();
  await row(page, 'x2.mov').click({ modifiers: ['Control'] });
  const target = page.getByRole('tree', { name: 'Folders' }).getByRole('treeitem', { name: 'Target' });
  await drag(row(page, 'x2.mov'), target, 'drag-selection-onto-tree');
  await expectRows(page, ['Sub', 'x3.mov'], 'the dragged selection to leave');
  expect(existsSync(join(server.lakeDir, 'Drag/Target/x1.mov'))).toBe(true);
  expect(existsSync(join(server.lakeDir, 'Drag/Target/x2.mov'))).toBe(true);
  await expect
    .poll(() => page.getByTestId('toast').allInnerTexts())
    .toContainEqual(expect.stringContaining('Moved 2 assets to /Drag/Target'));

  // One row (not selected) onto a folder row: only that row moves; the indicator shows first.
  await drag(row(page, 'x3.mov'), row(page, 'Sub'), 'drag-row-onto-folder');
  expect(await row(page, 'Sub').getAttribute('data-drop-target')).toBeNull();
  await expectRows(page, ['Sub'], 'the dragged row to leave');
  expect(existsSync(join(server.lakeDir, 'Drag/Inbox/Sub/x3.mov'))).toBe(true);
});

it('drags a card onto a folder card; a drop on the folder shown moves nothing', async () => {
  const { page, server } = app;
  await server.seed({ 'DragCards/y1.mov': Buffer.alloc(10, 1), 'DragCards/Into/': '' });
  await page.goto(browseUrl('/DragCards', 'view=cards'));
  const card = (name: string) => page.locator('.card').filter({ hasText: name });
  await card('y1.mov').waitFor();

  // Onto the tree's own entry for this folder: nothing to do, no job, no toast.
  const here = page.getByRole('tree', { name: 'Folders' }).getByRole('treeitem', { name: 'DragCards' });
  await card('y1.mov').dragTo(here);
  expect(await page.getByTestId('toast').count()).toBe(0);

  // Step by step, waiting for the drop indicator: a one-move dragTo was lost once under load.
  await drag(card('y1.mov'), card('Into'), 'drag-card-onto-folder-card');
  await expect.poll(() => card('y1.mov').count()).toBe(0);
  // The card may leave the view before the move job has renamed the file in the lake.
  await expect.poll(() => existsSync(join(server.lakeDir, 'DragCards/Into/y1.mov'))).toBe(true);
});

/**
 * The Storage page in the browser: the nav link opens it; the treemap and the table show each
 * day's share and a tile drills down; duplicates are resolved (the copy not kept goes to the
 * trash by one job); a clean-up list empties exactly the chosen trash; prices give a monthly
 * cost; the trash page says when originals will be purged; an editor sees only their folders.
 * Real: the server with its fs lake and an fs edit volume, the built web app, Debian Chromium.
 * The lake's files are written as another tool would; what processing and copies would record
 * (kinds, derivatives, copies on the volume, 90 days of daily figures) is written to the
 * catalog, since ffmpeg on hundreds of megabytes would only slow this test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyLocationRepository } from '../server/src/adapters/db/location.repository.js';
import { KyselyStorageRepository } from '../server/src/adapters/db/storage.repository.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';

let browser: Browser;
let server: RunningServer;
let context: BrowserContext;
let page: Page;
const volumeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-storage-volume-'));
const MB = 1_000_000;
const DAY = 86_400_000;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer({
    inProcessWorkers: false,
    volumes: [
      {
        id: 'edit',
        name: 'Avid NEXIS',
        path: volumeDir,
        displayPath: '\\\\nexis\\dailies',
        groups: ['editors'],
      },
    ],
  });
  const files: Record<string, Buffer> = {};
  const cams = ['Cam A', 'Cam B', 'Sound'];
  for (let day = 1; day <= 6; day++)
    for (const [c, cam] of cams.entries())
      for (let take = 1; take <= 3; take++) {
        const ext = cam === 'Sound' ? 'wav' : c === 0 ? 'mov' : 'mxf';
        files[
          `Day 0${day}/${cam}/${cam === 'Sound' ? 'S' : cam[4]}${String(day).padStart(3, '0')}C00${take}.${ext}`
        ] = Buffer.alloc((cam === 'Sound' ? 0.4 : 1 + day * 0.6 + take * 0.3) * MB, day * 10 + take);
      }
  files['Day 03/Cam A/copy of A003C002.mov'] = files['Day 03/Cam A/A003C002.mov']!;
  files['Day 03/Cam B/B003C001_old.mxf'] = Buffer.alloc(0.9 * MB, 1);
  files['Secret/Reshoots/R001C001.mov'] = Buffer.alloc(6 * MB, 3);
  files['Grading/notes.pdf'] = Buffer.alloc(0.2 * MB, 9);
  await server.seed(files);
  const { catalog, connection } = server.dailies;
  await server.api('POST', '/api/groups', { name: 'finance' });
  await server.api('PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin', 'finance'] });
  // What the probe, the derivative jobs and volume copies would have recorded.
  const locations = new KyselyLocationRepository(connection.db);
  const now = server.dailies.clock.now();
  for (const folder of await catalog.folders.all()) {
    for (const asset of await catalog.assets.liveInFolders([folder.id])) {
      const kind = asset.name.endsWith('.wav') ? 'audio' : asset.name.endsWith('.pdf') ? 'other' : 'video';
      const checksum = asset.name.includes('A003C002') ? 'c0ffee0000a003c2' : `x${asset.id.slice(0, 15)}`;
      await catalog.assets.update(asset.id, {
        kind,
        state: asset.name.includes('_old') ? 'failed' : 'ready',
        checksumXxh64: checksum,
      });
      if (kind === 'video') {
        for (const [d, share] of [
          ['proxy', 0.12],
          ['thumbnail', 0.004],
          ['filmstrip', 0.02],
        ] as const)
          await catalog.processing.putDerivative({
            assetId: asset.id,
            kind: d,
            key: `${asset.id}/${d}`,
            contentType: 'x',
            size: Math.round(asset.size * share),
            createdAt: now,
          });
      }
      if (folder.path.startsWith('/Day 0') && Number(folder.path[6]) <= 3 && kind !== 'other')
        await locations.put({
          assetId: asset.id,
          volumeId: 'edit',
          path: `${folder.path.slice(1)}/${asset.name}`,
          xxh64: checksum,
          size: asset.size,
          mtime: now - (folder.path.startsWith('/Day 01') ? 40 : 2) * DAY,
          copiedAt: now - 40 * DAY,
          state: 'verified',
        });
    }
  }
  // An old deletion for the clean-up list, and 90 days of the server's daily figure.
  const old = (await catalog.assets.findLive(
    (await catalog.folders.getByPath('/Day 01/Sound'))!.id,
    'S001C001.wav',
  ))!;
  await server.dailies.trash.trash(SYSTEM_ACTOR, [old.id]);
  await catalog.assets.update(old.id, { trashedAt: now - 45 * DAY });
  const storage = new KyselyStorageRepository(connection.db, connection.dialect);
  const figures = [];
  for (let d = 89; d >= 1; d--) {
    const grown = Math.max(0, 1 - d / 60);
    const day = new Date(now - d * DAY).toISOString().slice(0, 10);
    figures.push(
      {
        day,
        accessKey: 'admin,editors',
        assets: Math.round(54 * grown),
        bytes: Math.round(95 * MB * grown),
        trashedBytes: d < 45 ? 0.4 * MB : 0,
        derivedBytes: Math.round(13 * MB * grown),
        volumeBytes: 0,
      },
      {
        day,
        accessKey: 'admin,finance',
        assets: d < 20 ? 1 : 0,
        bytes: d < 20 ? 6 * MB : 0,
        trashedBytes: 0,
        derivedBytes: 0,
        volumeBytes: 0,
      },
    );
  }
  await storage.writeDay(figures);
  await server.dailies.storage.recordDay();
  // Only the duplicates job runs here (no processing is wanted).
  await server.dailies.jobs.work(server.dailies.handlers, {
    concurrency: { 'storage.dedupe': 1 },
    defaultConcurrency: 0,
  });
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(volumeDir, { recursive: true, force: true });
});

describe('storage page', () => {
  it('opens from the nav; the treemap and the sortable table show each folder, a tile drills down', async () => {
    await page.goto('/browse/');
    await page.getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('heading', { name: 'Storage' }).waitFor();
    const treemap = page.getByRole('figure', { name: 'Space per folder' });
    await treemap.waitFor();
    const table = page.getByRole('table', { name: 'Sub-folders by size' });
    const names = async () => table.locator('tbody tr td:first-child').allInnerTexts();
    expect((await names())[0]).toBe('Day 06');
    expect(await names()).toContain('Secret');
    await table.getByRole('button', { name: 'Folder' }).click();
    expect((await names()).slice(0, 3)).toEqual(['Day 01', 'Day 02', 'Day 03']);
    // Every folder in the table is a tile of the chart, the largest the largest tile.
    const tiles = treemap.getByRole('link');
    expect(await tiles.count()).toBe((await names()).length);
    const area = async (name: string) => {
      const box = await treemap.getByRole('link', { name: new RegExp(`^${name}:`) }).boundingBox();
      return box ? box.width * box.height : 0;
    };
    expect(await area('Day 06')).toBeGreaterThan(await area('Day 01'));
    await screenshot(page, 'storage-overview');

    const growth = page.getByRole('figure', { name: /Storage over 90 days/ });
    await growth.scrollIntoViewIfNeeded();
    // Three stacked areas (lake, derivatives, trash) on an axis in bytes, with a tooltip per day.
    await expect.poll(() => growth.locator('.recharts-area-area').count()).toBe(3);
    const ticks = await growth
      .locator('.recharts-cartesian-axis-tick-value[orientation="left"]')
      .allTextContents();
    expect(ticks.filter((t) => /^\d+(\.\d+)? (B|KB|MB|GB|TB)$/.test(t.trim())).length).toBeGreaterThan(2);
    const plot = await growth.locator('.recharts-cartesian-grid').boundingBox();
    if (!plot) throw new Error('the growth chart has no plot area');
    await page.mouse.move(plot.x + plot.width * 0.9, plot.y + plot.height / 2);
    await expect.poll(() => growth.locator('.recharts-tooltip-wrapper').innerText()).toContain('Lake (live)');
    await screenshot(page, 'storage-overview-growth');
    await page.mouse.move(0, 0);
    await page.getByRole('heading', { name: 'Storage' }).scrollIntoViewIfNeeded();

    await treemap.getByRole('link', { name: /^Day 03:/ }).click();
    await page.getByRole('navigation', { name: 'Folder' }).getByRole('button', { name: 'Day 03' }).waitFor();
    expect(new URL(page.url()).searchParams.get('folder')).toBe('/Day 03');
    await table.getByRole('button', { name: 'Cam A' }).waitFor();
    expect(await names()).toEqual(['Cam A', 'Cam B', 'Sound']);
    await screenshot(page, 'storage-day-03');
    await page.goBack();
    await treemap.getByRole('link', { name: /^Day 06:/ }).waitFor();
  });

  it('duplicates: keeping one copy sends the other to the trash', async () => {
    await page.getByRole('tab', { name: 'Duplicates' }).click();
    const group = page.locator('.dup-group').first();
    await group.getByText('2 copies').waitFor();
    await group.getByRole('radio').nth(0).check();
    await group.getByRole('checkbox').check();
    await screenshot(page, 'storage-duplicates');
    await page.getByRole('button', { name: /Trash the other copies/ }).click();
    await page.getByText(/Moving 1 copy to the trash/).waitFor();
    await expect
      .poll(async () => (await server.api('GET', '/api/storage/duplicates')).body.total, { timeout: 20_000 })
      .toBe(0);
    const trash = (await server.api('GET', '/api/trash')).body.items.map((a: { name: string }) => a.name);
    expect(trash.filter((n: string) => n.includes('A003C002'))).toHaveLength(1);
  });

  it('clean-up: emptying the chosen old trash removes exactly it; prices give a monthly cost', async () => {
    await page.getByRole('tab', { name: 'Clean-up' }).click();
    const oldTrash = page.getByRole('region', { name: /In the trash for over/ });
    await oldTrash.getByRole('checkbox', { name: /Choose S001C001/ }).check();
    const idle = page.getByRole('region', { name: /untouched for 14 days/ });
    await idle.getByRole('checkbox', { name: /Choose A001C001/ }).waitFor();
    await screenshot(page, 'storage-cleanup');
    const before = (await server.api('GET', '/api/trash')).body.items.length;
    await oldTrash.getByRole('button', { name: 'Empty these from the trash' }).click();
    await page.getByText(/Empty these from the trash: 1 item/).waitFor();
    expect((await server.api('GET', '/api/trash')).body.items.length).toBe(before - 1);

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Lake, per GB-month').fill('0.023');
    await page.getByLabel('Avid NEXIS, per GB-month').fill('0.25');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Storage settings saved').waitFor();
    await page.locator('.storage-card', { hasText: 'Monthly cost' }).getByText(/EUR/).waitFor();
    await page.getByRole('tab', { name: 'Clean-up' }).click();
    await idle.getByRole('checkbox', { name: 'Choose all' }).check();
    // About 13 MB at 0.25 a GB-month: too little to show in cents, and said so rather than 0.00.
    await idle.getByText('saves < 0.01 EUR a month').waitFor();
    await screenshot(page, 'storage-cleanup-priced');
  });

  it('the trash page says when originals will be purged', async () => {
    await page.getByRole('link', { name: 'Trash' }).click();
    await page.getByText(/Trashed originals are purged 30 days after deletion/).waitFor();
    await screenshot(page, 'storage-trash-retention');
  });

  it('an editor sees only the folders open to them', async () => {
    const { user } = await server.dailies.users.create(SYSTEM_ACTOR, {
      username: 'eddie',
      groups: ['editors'],
      password: 'eddie-password-1',
    });
    await server.dailies.users.update(SYSTEM_ACTOR, user.id, { mustChangePassword: false });
    const { context: editorContext, page: editorPage } = await newPage(browser, server.url);
    try {
      await signIn(editorContext, 'eddie', 'eddie-password-1');
      await editorPage.goto('/storage');
      const table = editorPage.getByRole('table', { name: 'Sub-folders by size' });
      await table.getByRole('button', { name: 'Day 06' }).waitFor();
      const body = await editorPage.locator('main').innerText();
      expect(body).not.toContain('Secret');
      expect(body).toContain('Figures count only the folders you can see.');
      expect(await editorPage.getByRole('tab', { name: 'Settings' }).count()).toBe(0);
      await screenshot(editorPage, 'storage-editor');
      await editorPage.goto('/storage?folder=/Secret');
      await editorPage.getByText('These figures cannot be shown').waitFor();
    } finally {
      await editorContext.close();
    }
  });
});

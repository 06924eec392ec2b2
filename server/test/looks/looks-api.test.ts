import { createReadStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { AppError } from '../../src/lib/errors.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { meanRgb, rgbFrame, SPLIT_1D, WARM_3D, writeGreyStill } from '../support/looks.js';
import { until, untilSettled } from '../support/poll.js';

const editor: Actor = { id: 'editor-1', username: 'ed', groups: ['editors'], isAdmin: false };
const noBurnIn = { clipName: false, timecode: false, frameCounter: false };

async function greyStill(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dailies-look-still-'));
  return writeGreyStill(join(dir, 'grey.png'));
}

function near(actual: number[], expected: number[], tolerance = 8) {
  for (const [i, v] of actual.entries()) {
    expect(Math.abs(v - expected[i]), `channel ${i}: ${actual} vs ${expected}`).toBeLessThan(tolerance);
  }
}

// Real: the whole server on both catalogs, an fs lake, ffmpeg. The look is set through the API,
// inherited by a folder below, applied when the asset is processed and again when it changes.
describe.each(CATALOGS)('folder looks (%s)', (catalog) => {
  let t: TestDailies | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  /** The asset's thumbnail as pixels, read from the derived store through its recorded key. */
  async function thumbnailColour(t: TestDailies, assetId: string): Promise<number[]> {
    const thumbnail = await t.dailies.catalog.processing.getDerivative(assetId, 'thumbnail');
    const file = t.dailies.derived.localPath!(thumbnail!.key);
    return meanRgb(await rgbFrame(file));
  }

  it('is stored, inherited down, applied to thumbnails, and a change re-makes them', async () => {
    t = await startDailies({ catalog });
    for (const path of ['/Day 01', '/Day 01/Cam A', '/Day 01/Cam B']) {
      expect((await t.api('POST', '/api/folders', { path })).status).toBe(201);
    }
    // Cam B opts out: a look of its own that shows nothing.
    const optOut = await t.api('PUT', `/api/folders/look?path=${encodeURIComponent('/Day 01/Cam B')}`, {
      lut: null,
      burnIn: noBurnIn,
    });
    expect(optOut.status).toBe(200);
    const set = await t.api('PUT', `/api/folders/look?path=${encodeURIComponent('/Day 01')}`, {
      lut: { name: 'warm.cube', cube: WARM_3D },
      burnIn: noBurnIn,
    });
    expect(set.status).toBe(200);
    expect(set.body.own).toMatchObject({
      lut: { name: 'warm.cube', dimensions: 3, size: 9 },
      burnIn: noBurnIn,
    });

    const inherited = await t.api('GET', `/api/folders/look?path=${encodeURIComponent('/Day 01/Cam A')}`);
    expect(inherited.body).toMatchObject({
      own: null,
      effective: { from: '/Day 01', lut: { name: 'warm.cube' } },
    });

    const still = await greyStill();
    const a = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01/Cam A',
      'A001.png',
      createReadStream(still),
    );
    const b = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01/Cam B',
      'B001.png',
      createReadStream(still),
    );
    for (const id of [a.id, b.id]) {
      const row: any = await untilSettled(
        async () => (await t!.api('GET', `/api/assets/${id}`)).body,
        60_000,
      );
      expect(row.state).toBe('ready');
    }
    near(await thumbnailColour(t, a.id), [128, 64, 32]);
    near(await thumbnailColour(t, b.id), [128, 128, 128]);

    // A new LUT: the assets it reaches are made again; Cam B keeps its own.
    const before = await t.dailies.catalog.processing.getDerivative(a.id, 'thumbnail');
    const bBefore = await t.dailies.catalog.processing.getDerivative(b.id, 'thumbnail');
    const changed = await t.api('PUT', `/api/folders/look?path=${encodeURIComponent('/Day 01')}`, {
      lut: { name: 'split.cube', cube: SPLIT_1D },
      burnIn: noBurnIn,
    });
    expect(changed.body.remade).toBe(1);
    await until(
      async () => {
        const now = await t!.dailies.catalog.processing.getDerivative(a.id, 'thumbnail');
        const asset = await t!.dailies.catalog.assets.get(a.id);
        return now && now.key !== before!.key && asset?.state === 'ready' ? now : null;
      },
      { timeout: 60_000, interval: 100, what: 'the thumbnail made again' },
    );
    near(await thumbnailColour(t, a.id), [128, 64, 127]);
    expect((await t.dailies.catalog.processing.getDerivative(b.id, 'thumbnail'))!.key).toBe(bBefore!.key);

    // Leaving out the LUT keeps it; DELETE makes the folder inherit again (from nothing: none).
    const kept = await t.api('PUT', `/api/folders/look?path=${encodeURIComponent('/Day 01')}`, {
      burnIn: { clipName: true, timecode: false, frameCounter: false },
    });
    expect(kept.body.own.lut.name).toBe('split.cube');
    const cleared = await t.api('DELETE', `/api/folders/look?path=${encodeURIComponent('/Day 01')}`);
    expect(cleared.body).toMatchObject({ own: null, effective: null });
    const audit = await t.dailies.catalog.audit.list({ action: 'folder.look', limit: 100 });
    expect(audit.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses a bad .cube with a 400 and keeps the look it had', async () => {
    t = await startDailies({ catalog });
    await t.api('POST', '/api/folders', { path: '/Grade' });
    const url = `/api/folders/look?path=${encodeURIComponent('/Grade')}`;
    await t.api('PUT', url, { lut: { name: 'ok.cube', cube: WARM_3D }, burnIn: noBurnIn });
    for (const cube of [
      'LUT_3D_SIZE 2\n0 0 0\n',
      'LUT_1D_SIZE 2\n0 0 0\nNaN 1 1',
      'LUT_3D_SIZE 300\n',
      'hello',
    ]) {
      const bad = await t.api('PUT', url, { lut: { name: 'bad.cube', cube }, burnIn: noBurnIn });
      expect(bad.status).toBe(400);
      expect(bad.body.message ?? bad.body.error).toMatch(/\.cube|LUT/);
    }
    const odd = await t.api('PUT', url, { lut: { name: 'a\u0000b', cube: WARM_3D }, burnIn: noBurnIn });
    expect(odd.status).toBe(400);
    expect((await t.api('GET', url)).body.own.lut.name).toBe('ok.cube');
    // Options it does not know (a font, a filter) are dropped, never passed on.
    const extra = await t.api('PUT', url, {
      burnIn: { ...noBurnIn, font: '/etc/passwd' },
      filter: 'movie=/etc',
    });
    expect(extra.status).toBe(200);
    expect(extra.body.own.burnIn).toEqual(noBurnIn);
    expect(extra.body.own.lut.name).toBe('ok.cube');
    // A folder that does not exist is a 404, a path with a backslash a 400.
    expect((await t.api('GET', `/api/folders/look?path=${encodeURIComponent('/Nope')}`)).status).toBe(404);
    expect((await t.api('GET', `/api/folders/look?path=${encodeURIComponent('/a\\b')}`)).status).toBe(400);
  });

  it('is for admins: a hidden folder is a 404 to an editor, a visible one a 403', async () => {
    t = await startDailies({ catalog });
    await t.api('POST', '/api/folders', { path: '/Secret' });
    await t.api('POST', '/api/folders', { path: '/Open' });
    expect((await t.api('PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin'] })).status).toBe(
      200,
    );
    expect(
      (await t.api('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin', 'editors'] })).status,
    ).toBe(200);
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (error) => (error instanceof AppError ? error.status : 500),
      );
    expect(await status(t.dailies.looks.get(editor, '/Secret'))).toBe(404);
    expect(await status(t.dailies.looks.get(editor, '/Nothing'))).toBe(404);
    expect(await status(t.dailies.looks.set(editor, '/Secret', { lut: null, burnIn: noBurnIn }))).toBe(404);
    expect(await status(t.dailies.looks.get(editor, '/Open'))).toBe(403);
    expect(await status(t.dailies.looks.set(editor, '/Open', { lut: null, burnIn: noBurnIn }))).toBe(403);
    expect(await status(t.dailies.looks.clear(editor, '/Open'))).toBe(403);
    expect(
      await t.dailies.catalog.looks.getMany([(await t.dailies.catalog.folders.getByPath('/Open'))!.id]),
    ).toEqual([]);
  });
});

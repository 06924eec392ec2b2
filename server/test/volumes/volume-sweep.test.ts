/**
 * Temporary files a killed copy left on a volume (`.dailies-<asset id>.part` beside the target,
 * or a write probe) are swept when the server starts and by each drift scan; the temporary file
 * of a copy whose job is still queued or running, and one written moments ago, are kept.
 *
 * Real: the whole server on SQLite and on PostgreSQL (its durable job queue: local, pg-boss),
 * the volume a directory.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { editVolumeConfig, volumeDir } from './support.js';

describe.each(CATALOGS)('volume temporary files (%s)', (catalog) => {
  let t: TestDailies | null = null;
  let vol: string;
  const cleanup: string[] = [];
  afterEach(async () => {
    await t?.close();
    t = null;
    for (const dir of [vol, ...cleanup.splice(0)]) await rm(dir, { recursive: true, force: true });
  });

  /** A file Dailies would have left, last written `ageMs` ago. */
  const leftover = async (path: string, ageMs = 10 * 60_000) => {
    const file = join(vol, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, 'half a clip');
    const when = new Date(Date.now() - ageMs);
    await utimes(file, when, when);
    return file;
  };

  it('sweeps debris of killed copies on start and in the drift scan, keeping live copies', async () => {
    vol = await volumeDir('dailies-vol-sweep-');
    await writeFile(join(vol, '.dailies-volume'), 'marker');
    const killed = await leftover(`Day 01/Cam A/.dailies-${randomUUID()}.part`);
    const probe = await leftover('.dailies-probe-1234-1700000000000');
    const fresh = await leftover(`Day 01/.dailies-${randomUUID()}.part`, 0);
    const editorsFile = await leftover('Day 01/A001.mov');
    const editorsHidden = await leftover('Day 01/.DS_Store');
    const busyAsset = randomUUID();
    const busy = await leftover(`Day 02/.dailies-${busyAsset}.part`);
    const config = { ...editVolumeConfig(vol), inProcessWorkers: false };

    // A copy still queued (its worker will rewrite the file) must keep it: the job is made first.
    const first = await startDailies({ catalog, config, background: false });
    await first.dailies.jobs.enqueue(
      'volume.copy',
      { actorId: 'a', actorName: 'admin', volumeId: 'edit', assetId: busyAsset },
      { key: `${busyAsset}:edit:copy` },
    );
    // The same catalog started again, as after a kill: start-up sweeps.
    const { databaseUrl, sqliteFile } = first.config;
    await first.dailies.close();
    await first.app.close();
    cleanup.push(first.dataDir);
    t = await startDailies({ catalog: undefined, config: { ...config, databaseUrl, sqliteFile } });

    expect(existsSync(killed)).toBe(false);
    expect(existsSync(probe)).toBe(false);
    expect(existsSync(busy)).toBe(true);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(editorsFile)).toBe(true);
    expect(existsSync(editorsHidden)).toBe(true);

    // Debris that appears while the server runs goes with the next drift scan.
    const later = await leftover(`Day 03/.dailies-${randomUUID()}.part`);
    const scan = await t.api('POST', '/api/volumes/edit/scan');
    expect(scan.status).toBe(200);
    expect(scan.body).toEqual({ checked: 0, missing: 0, changed: 0, swept: 1 });
    expect(existsSync(later)).toBe(false);
    expect(existsSync(busy)).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies, waitForJob } from '../support/harness.js';

// Real: the whole server in-process, an fs lake in a temp dir, SQLite and PostgreSQL.
describe.each(CATALOGS)('assets API on %s', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
  });
  afterEach(() => t.close());
  const lake = (key: string) => join(t.dataDir, 'lake', key);

  it('imports with checksums computed as bytes pass, and shows the asset', async () => {
    const content = Buffer.from('pretend this is a ProRes clip '.repeat(100));
    const asset = await importFile(t, '/Day 01', 'A001C003.mov', content);
    const { status, body } = await t.api('GET', `/api/assets/${asset.id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'A001C003.mov',
      folder: '/Day 01',
      format: 'MOV',
      size: content.length,
      locations: ['lake'],
    });
    // Processing was queued on import and the in-process workers may already hold it (and fail
    // it: these bytes are not a real clip); it is never ready.
    expect(['pending', 'processing', 'failed']).toContain(body.state);
    expect(body.checksums.md5).toBe(createHash('md5').update(content).digest('hex'));
    expect(body.checksums.xxh64).toMatch(/^[0-9a-f]{16}$/);
  });

  it('lists a folder sorted by each column and pages by cursor without gaps', async () => {
    const names = ['b.mov', 'A.mxf', 'c.wav', 'D.mp4', 'e.png'];
    for (const [i, name] of names.entries()) await importFile(t, '/Sorted', name, 'x'.repeat(10 - i));
    const byName = await t.api('GET', '/api/assets?folder=/Sorted&sort=name&order=asc');
    expect(byName.body.items.map((a: any) => a.name)).toEqual(['A.mxf', 'b.mov', 'c.wav', 'D.mp4', 'e.png']);
    expect(byName.body.total).toBe(5);
    const bySize = await t.api('GET', '/api/assets?folder=/Sorted&sort=size&order=desc');
    expect(bySize.body.items.map((a: any) => a.size)).toEqual([10, 9, 8, 7, 6]);
    const byFormat = await t.api('GET', '/api/assets?folder=/Sorted&sort=format');
    expect(byFormat.body.items.map((a: any) => a.format)).toEqual(['MOV', 'MP4', 'MXF', 'PNG', 'WAV']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.api(
        'GET',
        `/api/assets?folder=/Sorted&sort=modified&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((a: any) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect((await t.api('GET', '/api/assets?folder=/Sorted&sort=nope')).status).toBe(400);
    expect((await t.api('GET', '/api/assets?folder=/Sorted&cursor=garbage')).status).toBe(400);
    expect((await t.api('GET', '/api/assets?folder=/Missing')).status).toBe(404);
  });

  it('jumps to a position by offset, then continues by cursor; refuses both at once', async () => {
    const names = ['a.mov', 'b.mov', 'c.mov', 'd.mov', 'e.mov', 'f.mov'];
    for (const name of names) await importFile(t, '/Jump', name, name);
    const at = await t.api('GET', '/api/assets?folder=/Jump&sort=name&offset=3&limit=2');
    expect(at.status).toBe(200);
    expect(at.body).toMatchObject({ total: 6, offset: 3 });
    expect(at.body.items.map((a: any) => a.name)).toEqual(['d.mov', 'e.mov']);
    const next = await t.api(
      'GET',
      `/api/assets?folder=/Jump&sort=name&limit=2&cursor=${at.body.nextCursor}`,
    );
    expect(next.body.items.map((a: any) => a.name)).toEqual(['f.mov']);
    expect(next.body.offset).toBeNull();
    const desc = await t.api('GET', '/api/assets?folder=/Jump&sort=name&order=desc&offset=4');
    expect(desc.body.items.map((a: any) => a.name)).toEqual(['b.mov', 'a.mov']);
    expect((await t.api('GET', '/api/assets?folder=/Jump&offset=10')).body.items).toEqual([]);
    const both = await t.api('GET', `/api/assets?folder=/Jump&offset=1&cursor=${at.body.nextCursor}`);
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/cursor or at an offset/);
    expect((await t.api('GET', '/api/assets?folder=/Jump&offset=-1')).status).toBe(400);
  });

  it('renames in the lake and the catalog; refuses bad names and existing ones', async () => {
    const a = await importFile(t, '/R', 'one.mov', '1');
    await importFile(t, '/R', 'two.mov', '2');
    const renamed = await t.api('PATCH', `/api/assets/${a.id}`, { name: 'uno.mov' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: a.id, name: 'uno.mov' });
    expect(existsSync(lake('R/uno.mov'))).toBe(true);
    expect(existsSync(lake('R/one.mov'))).toBe(false);
    const taken = await t.api('PATCH', `/api/assets/${a.id}`, { name: 'two.mov' });
    expect(taken.status).toBe(409);
    expect(readFileSync(lake('R/two.mov'), 'utf8')).toBe('2');
    for (const bad of ['a/b.mov', '../x.mov', 'CON', 'x:y.mov', 'end.', ' x.mov', 'nul\u0000.mov']) {
      const response = await t.api('PATCH', `/api/assets/${a.id}`, { name: bad });
      expect(response.status, bad).toBe(400);
      expect(response.body.message).toBeTruthy();
    }
    expect(existsSync(lake('R/uno.mov'))).toBe(true);
  });

  it('moves many assets in one job with progress; ids stay; conflicts are refused up front', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await importFile(t, '/Src', `clip${i}.mov`, `c${i}`)).id);
    await t.api('POST', '/api/folders', { path: '/Dst' });
    const accepted = await t.api('POST', '/api/assets/move', { ids, folder: '/Dst' });
    expect(accepted.status).toBe(202);
    const job = await waitForJob(t, accepted.body.jobId);
    expect(job).toMatchObject({ state: 'done', progressDone: 25, progressTotal: 25 });
    const listing = await t.api('GET', '/api/assets?folder=/Dst&limit=100');
    expect(listing.body.items.map((a: any) => a.id).sort()).toEqual([...ids].sort());
    expect(existsSync(lake('Dst/clip7.mov'))).toBe(true);
    expect(existsSync(lake('Src/clip7.mov'))).toBe(false);

    const clash = await importFile(t, '/Src', 'clip7.mov', 'another');
    const refused = await t.api('POST', '/api/assets/move', { ids: [clash.id], folder: '/Dst' });
    expect(refused.status).toBe(409);
    expect(readFileSync(lake('Dst/clip7.mov'), 'utf8')).toBe('c7');
    expect((await t.api('POST', '/api/assets/move', { ids: [clash.id], folder: '/Nowhere' })).status).toBe(
      404,
    );
  });

  it('a missing asset and a made-up id get the same 404', async () => {
    const a = await importFile(t, '/X', 'x.mov', 'x');
    const missing = await t.api('GET', '/api/assets/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    await t.api('POST', '/api/assets/delete', { ids: [a.id] });
    const trashed = await t.api('GET', `/api/assets/${a.id}`);
    expect(trashed.status).toBe(404);
    expect(trashed.body.message).toBe(missing.body.message);
  });

  it('deletes to the trash, restores, refuses a restore over a new file, and empties for good', async () => {
    const a = await importFile(t, '/T', 'keep.mov', 'original');
    expect((await t.api('POST', '/api/assets/delete', { ids: [a.id] })).body).toEqual({ deleted: 1 });
    expect(existsSync(lake('T/keep.mov'))).toBe(false);
    expect((await t.api('GET', '/api/assets?folder=/T')).body.total).toBe(0);
    expect((await t.api('POST', '/api/assets/restore', { ids: [a.id] })).status).toBe(200);
    expect(readFileSync(lake('T/keep.mov'), 'utf8')).toBe('original');

    await t.api('POST', '/api/assets/delete', { ids: [a.id] });
    await importFile(t, '/T', 'keep.mov', 'newer');
    const clash = await t.api('POST', '/api/assets/restore', { ids: [a.id] });
    expect(clash.status).toBe(409);
    expect(readFileSync(lake('T/keep.mov'), 'utf8')).toBe('newer');

    expect((await t.api('DELETE', '/api/trash')).body).toEqual({ purged: 1 });
    expect((await t.api('GET', '/api/trash')).body.items).toEqual([]);
    expect((await t.api('POST', '/api/assets/restore', { ids: [a.id] })).status).toBe(404);
  });

  it('downloads through a signed, expiring URL with Range and Content-Disposition', async () => {
    const content = Buffer.from('0123456789abcdef');
    const a = await importFile(t, '/D', 'Ünïcode clip.mov', content);
    const links = await t.api('POST', '/api/assets/download', { ids: [a.id] });
    expect(links.status).toBe(200);
    const { url } = links.body.items[0];
    const whole = await t.app.inject({ method: 'GET', url });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(content)).toBe(true);
    expect(whole.headers['content-disposition']).toContain("filename*=UTF-8''%C3%9Cn%C3%AFcode%20clip.mov");
    const part = await t.app.inject({ method: 'GET', url, headers: { range: 'bytes=4-7' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('4567');
    expect(part.headers['content-range']).toBe('bytes 4-7/16');

    const tampered = url.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect((await t.app.inject({ method: 'GET', url: tampered })).statusCode).toBe(404);
    const [body] = url.split('/').pop()!.split('.');
    const forged = `${url.slice(0, url.lastIndexOf('/') + 1)}${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), e: 1 })).toString('base64url')}.${url.split('.').pop()}`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
  });

  it('refuses an expired download URL', async () => {
    await t.close();
    let now = Date.now();
    t = await startDailies({ catalog, wiring: { clock: { now: () => now } } });
    const a = await importFile(t, '/E', 'e.mov', 'e');
    const { url } = (await t.api('POST', '/api/assets/download', { ids: [a.id] })).body.items[0];
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    now += (t.config.downloadUrlTtl + 1) * 1000;
    const expired = await t.app.inject({ method: 'GET', url });
    expect(expired.statusCode).toBe(404);
    expect(expired.json().message).toMatch(/expired/);
  });

  it('records who did what in the audit log', async () => {
    const a = await importFile(t, '/Audit', 'a.mov', 'a');
    await t.api('PATCH', `/api/assets/${a.id}`, { name: 'b.mov' });
    await t.api('POST', '/api/assets/delete', { ids: [a.id] });
    const actions = (await t.dailies.catalog.audit.list({ limit: 500 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['asset.import', 'asset.rename', 'asset.delete']));
  });

  it('serves the OpenAPI document, health and metrics', async () => {
    const doc = await t.api('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/folders',
      '/api/assets',
      '/api/assets/{id}',
      '/api/assets/move',
      '/api/assets/download',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect((await t.api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    // Metrics are for admins (and a configured scraper token): see test/web/security-edge.test.ts.
    const metrics = await t.api<string>('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toContain('dailies_http_request_duration_seconds');
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRate, timecodeToFrames } from '../../src/lib/timecode.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';
import { parseAle } from './ale-parse.js';
import { type TimecodedClip, timecodedClip } from './timecoded-media.js';

const run = promisify(execFile);

/** Material at the rates editors meet, each with the start timecode a camera would give it. */
const MATERIAL: Array<
  TimecodedClip & { folder: string; name: string; fps: string; frames: number; df: boolean }
> = [
  {
    folder: 'r2398',
    name: 'A001C001.mov',
    rate: '24000/1001',
    timecode: '01:00:00:00',
    seconds: 2,
    fps: '23.976',
    frames: 48,
    df: false,
  },
  {
    folder: 'r25',
    name: 'B002C003.mov',
    rate: '25',
    timecode: '10:00:00:00',
    seconds: 2,
    fps: '25',
    frames: 50,
    df: false,
  },
  {
    folder: 'r2997',
    name: 'C003C004.mov',
    rate: '30000/1001',
    timecode: '00:59:59;28',
    seconds: 2,
    fps: '29.97',
    frames: 60,
    df: true,
  },
  {
    folder: 'r50',
    name: 'D004C005.mov',
    rate: '50',
    timecode: '23:59:59:40',
    seconds: 1,
    fps: '50',
    frames: 50,
    df: false,
    size: '1280x720',
  },
];

/** Notes at frames of each clip: one on a frame, one over a range, one on the whole clip. */
const NOTE_FRAMES = [
  [3, null],
  [10, 20],
] as const;

// Real: both catalogs, the fs lake, ffprobe and mediainfo on ffmpeg-made clips, xmllint.
describe.each(CATALOGS)('bins export (%s)', (catalog) => {
  let t: TestDailies;
  let admin: Client;
  let editor: Client;
  let work: string;
  const ids = new Map<string, string>();
  let hiddenId: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dailies-bins-'));
    t = await startDailies({ catalog });
    admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    editor = (await makeUser(admin, 'edna', ['editors'])).client;
    expect((await t.api('POST', '/api/folders', { path: '/Shoot' })).status).toBe(201);
    await t.api('PUT', '/api/folders/groups', { path: '/Shoot', groups: ['admin', 'editors'] });
    for (const m of MATERIAL) {
      await t.api('POST', '/api/folders', { path: `/Shoot/${m.folder}` });
      const asset = await importFile(t, `/Shoot/${m.folder}`, m.name, await timecodedClip(m));
      ids.set(m.folder, asset.id);
    }
    await t.api('POST', '/api/folders', { path: '/Shoot/Hidden' });
    await t.api('PUT', '/api/folders/groups', { path: '/Shoot/Hidden', groups: ['admin'], scope: 'folder' });
    hiddenId = (await importFile(t, '/Shoot/Hidden', 'SECRET01.mov', await timecodedClip(MATERIAL[1]))).id;
    for (const id of [...ids.values(), hiddenId]) {
      await until(async () => (await t.api('GET', `/api/assets/${id}/metadata`)).status === 200, {
        timeout: 60_000,
        what: 'the probe',
      });
    }
    for (const m of MATERIAL) {
      for (const [frame, endFrame] of NOTE_FRAMES) {
        const added = await t.api('POST', `/api/assets/${ids.get(m.folder)}/notes`, {
          text: `note at ${frame}`,
          frame,
          endFrame,
        });
        expect(added.status).toBe(201);
      }
      await t.api('POST', `/api/assets/${ids.get(m.folder)}/notes`, { text: 'good take' });
    }
  });
  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it.each(MATERIAL)(
    'ALE of $fps material: heading FPS, start, end and duration in its timecode',
    async (m) => {
      const response = await t.api(
        'GET',
        `/api/bins?folder=${encodeURIComponent(`/Shoot/${m.folder}`)}&format=ale`,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(String(response.headers['content-disposition'])).toContain(`${m.folder}.ale`);
      const ale = parseAle(response.body);
      expect(ale.heading.FIELD_DELIM).toBe('TABS');
      expect(ale.heading.FPS).toBe(m.fps);
      expect(ale.heading.VIDEO_FORMAT).toBe(m.size === '1280x720' ? '720' : '1080');
      expect(ale.rows).toHaveLength(1);
      const row = ale.rows[0];
      const rate = parseRate(m.rate)!;
      expect(row.Name).toBe(m.name.replace('.mov', ''));
      expect(row['Source File']).toBe(m.name);
      expect(row.Tracks).toBe('VA1A2');
      expect(row.Start).toBe(m.timecode);
      expect(row.Start.includes(';')).toBe(m.df);
      const start = timecodeToFrames(row.Start, rate)!;
      const end = timecodeToFrames(row.End, rate)!;
      // Past midnight the label wraps: 23:59:59:40 + 50 frames ends at 00:00:00:40.
      const day = m.df ? 2_589_408 : Math.round(rate.num / rate.den) * 86_400;
      expect((end - start + day) % day).toBe(m.frames);
      expect(timecodeToFrames(row.Duration, rate, m.df)).toBe(m.frames);
      // The reel comes from the camera file name (A001C001 → A001); nobody logged the rest yet.
      expect(row.Tape).toBe(m.name.slice(0, 4));
      for (const column of ['Scene', 'Take', 'Circled']) expect(row[column]).toBe('');
      // Notes are in Comments at their timecodes.
      const firstNote = timecodeToFrames(row.Comments.split(' ')[0], rate)!;
      expect(firstNote - start).toBe(3);
      expect(row.Comments).toContain('note at 3 (admin)');
      expect(row.Comments).toContain('good take (admin)');
    },
  );

  it('carries the logging fields: ALE columns, custom fields by their labels, FCPXML keywords', async () => {
    expect(
      (await t.api('POST', '/api/log-fields', { key: 'lens', label: 'Lens', kind: 'text' })).status,
    ).toBe(201);
    const id = ids.get('r25')!;
    const logged = await t.api('PATCH', `/api/assets/${id}/log`, {
      scene: '12a',
      take: '3',
      circled: true,
      reel: 'A007',
      custom: { lens: '35 mm' },
    });
    expect(logged.status).toBe(200);
    const response = await t.api('GET', `/api/bins?folder=${encodeURIComponent('/Shoot/r25')}&format=ale`);
    const row = parseAle(response.body).rows[0];
    expect(row).toMatchObject({ Scene: '12A', Take: '3', Circled: 'Yes', Tape: 'A007', Lens: '35 mm' });
    const xml: string = (
      await t.api('GET', `/api/bins?folder=${encodeURIComponent('/Shoot/r25')}&format=fcpxml`)
    ).body;
    expect(xml).toContain('12A');
    expect(xml).toContain('A007');
  });

  it('the 29.97 drop-frame clip crosses the hour on the right labels', async () => {
    const ale = parseAle(
      (await t.api('GET', `/api/bins?folder=${encodeURIComponent('/Shoot/r2997')}&format=ale`)).body,
    );
    // 00:59:59;28 + 60 frames: 00:59:59;29, then 01:00:00;00 (no drop at minute 60 = 0 mod 10) …
    expect(ale.rows[0].End).toBe('01:00:01;28');
  });

  it('FCPXML is well-formed, every clip at exact rational times, markers at the notes', async () => {
    const response = await t.api(
      'GET',
      `/api/bins?folder=${encodeURIComponent('/Shoot')}&recursive=true&format=fcpxml`,
    );
    expect(response.status).toBe(200);
    const file = join(work, `${catalog}.fcpxml`);
    await writeFile(file, response.body);
    // Throws with xmllint's complaint when not well-formed.
    await run('xmllint', ['--noout', file]);
    const xml: string = response.body;
    for (const m of MATERIAL) {
      const rate = parseRate(m.rate)!;
      const start = timecodeToFrames(m.timecode, rate)!;
      const asset = new RegExp(
        `<asset id="(r\\d+)" name="${m.name.replace('.mov', '')}" start="([^"]+)" duration="([^"]+)"`,
      ).exec(xml);
      expect(asset, m.name).not.toBeNull();
      expect(asset![2]).toBe(`${start * rate.den}/${rate.num}s`.replace(/\/1s$/, 's'));
      expect(asset![3]).toBe(`${m.frames * rate.den}/${rate.num}s`.replace(/\/1s$/, 's'));
      const clip = xml.slice(xml.indexOf(`<asset-clip ref="${asset![1]}"`));
      const body = clip.slice(0, clip.indexOf('</asset-clip>'));
      expect(body).toContain(`tcFormat="${m.df ? 'DF' : 'NDF'}"`);
      const markers = [...body.matchAll(/<marker start="([^"]+)" duration="([^"]+)"/g)].map((x) => [
        x[1],
        x[2],
      ]);
      const at = (frames: number) =>
        frames === 0 ? '0s' : `${frames * rate.den}/${rate.num}s`.replace(/\/1s$/, 's');
      expect(markers).toEqual([
        [at(start + 3), at(1)],
        [at(start + 10), at(10)],
      ]);
    }
    // The frame duration says 1001/24000s for 23.976 and 1001/30000s for 29.97.
    expect(xml).toContain('frameDuration="1001/24000s"');
    expect(xml).toContain('frameDuration="1001/30000s"');
    expect(xml).toContain('src="r2398/A001C001.mov"'.replace('r2398', 'Shoot/r2398'));
    // The admin sees the hidden folder's clip too.
    expect(xml).toContain('SECRET01');
  });

  it('CSV lists every clip with its own rate and timecodes', async () => {
    const response = await t.api(
      'GET',
      `/api/bins?folder=${encodeURIComponent('/Shoot')}&recursive=true&format=csv`,
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = (response.body as string).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 7)).toEqual([
      'Name',
      'Source File',
      'Path',
      'Frame Rate',
      'Start',
      'End',
      'Duration',
    ]);
    const row = lines.find((l) => l.startsWith('C003C004,'))!;
    expect(row).toContain(',Shoot/r2997/C003C004.mov,30000/1001,00:59:59;28,01:00:01;28,00:00:02;00,60,');
  });

  it('an editor exports only what they may see: hidden folders left out, a hidden folder or asset is 404', async () => {
    const whole = await editor.get(
      `/api/bins?folder=${encodeURIComponent('/Shoot')}&recursive=true&format=ale`,
    );
    expect(whole.statusCode).toBe(200);
    const names = parseAle(whole.body).rows.map((r) => r.Name);
    expect(names.sort()).toEqual(MATERIAL.map((m) => m.name.replace('.mov', '')).sort());
    expect(whole.body).not.toContain('SECRET');

    const hidden = await editor.get(`/api/bins?folder=${encodeURIComponent('/Shoot/Hidden')}&format=csv`);
    const missing = await editor.get(`/api/bins?folder=${encodeURIComponent('/Shoot/Nothing')}&format=csv`);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    // A hidden folder answers exactly as a missing one, but for its name.
    expect(hidden.json().message.replace('Hidden', 'X')).toBe(missing.json().message.replace('Nothing', 'X'));

    const selection = await editor.post('/api/bins', { ids: [ids.get('r25'), hiddenId], format: 'fcpxml' });
    expect(selection.statusCode).toBe(404);
    expect(selection.body).not.toContain('SECRET');
    const own = await editor.post('/api/bins', { ids: [ids.get('r25')], format: 'fcpxml' });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('src="Shoot/r25/B002C003.mov"');
  });

  it('refuses formats and selections that make no sense with 400', async () => {
    for (const url of [
      '/api/bins?folder=/Shoot&format=edl',
      '/api/bins?format=ale',
      '/api/bins?folder=/Shoot&format=ale&recursive=maybe',
    ]) {
      const response = await t.api('GET', url);
      expect(response.status, url).toBe(400);
      expect(response.body.message).toBeTruthy();
    }
    expect((await t.api('POST', '/api/bins', { ids: [], format: 'ale' })).status).toBe(400);
    expect((await t.api('POST', '/api/bins', { ids: ['not-a-uuid'], format: 'ale' })).status).toBe(400);
  });

  it('is audited', async () => {
    expect((await t.api('POST', '/api/bins', { ids: [ids.get('r25')], format: 'fcpxml' })).status).toBe(200);
    const audit = await t.api('GET', '/api/audit?action=bin.export');
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(audit.body.items.some((e: any) => e.detail?.format === 'fcpxml')).toBe(true);
  });
});

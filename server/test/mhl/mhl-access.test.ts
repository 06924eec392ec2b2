/**
 * ASC MHL and who may see what: an asset's verdict, a card's summary and MHL downloads answer
 * only for what the caller can see; a hidden folder and a missing one are the same 404; an
 * editor never learns a hidden subfolder's files, names or count through a card or an MHL.
 * Plus the standard's nested example imported into the lake, and hostile histories there.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, xmllint.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAll } from '../../src/lib/mhl/hash-formats.js';
import { parseGeneration } from '../../src/lib/mhl/mhl-document.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { EXAMPLES, importCard } from './support.js';
import { schemaErrors } from './xmllint.js';

const CARD = join(EXAMPLES, 'scenario_01/travel_01/A002R2EC');

describe.each(CATALOGS)('ASC MHL access and hostile histories (%s)', (catalog) => {
  let t: TestDailies;
  let admin: Client;
  let editor: Client;

  beforeAll(async () => {
    t = await startDailies({ catalog });
    await importCard(t, CARD, '/Shoot/A002R2EC');
    await importCard(t, join(EXAMPLES, 'scenario_05/file_server/Reels'), '/Shoot/Reels');
    await t.dailies.jobs.drain(60_000);
    admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    expect((await admin.post('/api/groups', { name: 'vfx' })).statusCode).toBe(201);
    editor = (await makeUser(admin, 'ed', ['editors'])).client;
    const folders = t.dailies.catalog.folders;
    // The card's Clips are hidden from editors; a whole other card too.
    await folders.setGroups((await folders.getByPath('/Shoot/A002R2EC/Clips'))!.id, ['admin', 'vfx']);
    await importFile(t, '/Secret', 'x.mov', 'secret bytes');
    await folders.setGroups((await folders.getByPath('/Secret'))!.id, ['admin', 'vfx']);
  });
  afterAll(async () => t?.close());

  const q = (path: string) => encodeURIComponent(path);
  const idOf = async (folder: string, name: string) => {
    const f = (await t.dailies.catalog.folders.getByPath(folder))!;
    return (await t.dailies.catalog.assets.findLive(f.id, name))!.id;
  };

  it('nested histories imported into the lake (the standard scenario 05): every file verified, under its card', async () => {
    const card = await admin.get(`/api/mhl/card?folder=${q('/Shoot/Reels')}`);
    expect(card.statusCode).toBe(200);
    expect(card.json()).toMatchObject({ verified: 7, mismatched: 0, unlisted: 0, missing: [], problems: [] });
    const clip = await idOf('/Shoot/Reels/A003R2EC/Clips', 'A003C012_141024_R2EC.mov');
    expect((await admin.get(`/api/assets/${clip}/mhl`)).json()).toMatchObject({ verdict: 'verified' });
  });

  it('an editor sees the verdicts of what they see; a hidden asset is a 404 like a missing one', async () => {
    const sidecar = await idOf('/Shoot/A002R2EC', 'Sidecar.txt');
    const clip = await idOf('/Shoot/A002R2EC/Clips', 'A002C006_141024_R2EC.mov');
    expect((await editor.get(`/api/assets/${sidecar}/mhl`)).json()).toMatchObject({ verdict: 'verified' });
    const hidden = await editor.get(`/api/assets/${clip}/mhl`);
    const missing = await editor.get('/api/assets/00000000-0000-4000-8000-000000000000/mhl');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.json().message).toBe(missing.json().message);
  });

  it("a card's summary counts only what the editor sees and never names a hidden folder's files", async () => {
    const mine = (await editor.get(`/api/mhl/card?folder=${q('/Shoot/A002R2EC')}`)).json();
    expect(mine).toMatchObject({ verified: 1, mismatched: 0, unlisted: 0, missing: [], problems: [] });
    expect(JSON.stringify(mine)).not.toContain('Clips');
    const all = (await admin.get(`/api/mhl/card?folder=${q('/Shoot/A002R2EC')}`)).json();
    expect(all.verified).toBe(3);
    // Missing files in the hidden folder are not named either.
    await t.dailies.lake.delete('Shoot/A002R2EC/Clips/A002C007_141024_R2EC.mov');
    await t.dailies.indexing.forgetKey('Shoot/A002R2EC/Clips/A002C007_141024_R2EC.mov');
    await t.dailies.mhl.runVerify(
      { data: { folderId: (await t.dailies.catalog.folders.getByPath('/Shoot/A002R2EC'))!.id } } as never,
      { signal: new AbortController().signal } as never,
    );
    expect((await admin.get(`/api/mhl/card?folder=${q('/Shoot/A002R2EC')}`)).json().missing).toEqual([
      'Clips/A002C007_141024_R2EC.mov',
    ]);
    expect((await editor.get(`/api/mhl/card?folder=${q('/Shoot/A002R2EC')}`)).json().missing).toEqual([]);
  });

  it('a hidden folder, a missing one and a folder without a history are the same 404', async () => {
    const answers = await Promise.all(
      ['/Secret', '/Nowhere', '/Secret/../Secret'].map((f) => editor.get(`/api/mhl/card?folder=${q(f)}`)),
    );
    for (const a of answers) expect(a.statusCode).toBe(404);
    expect(answers[0]!.json().message.replace('/Secret', '/X')).toBe(
      answers[1]!.json().message.replace('/Nowhere', '/X'),
    );
    expect((await editor.get(`/api/mhl/folder?folder=${q('/Secret')}`)).statusCode).toBe(404);
    expect((await editor.get(`/api/mhl/folder?folder=${q('/Nowhere')}`)).statusCode).toBe(404);
    const secret = await idOf('/Secret', 'x.mov');
    const sel = await editor.post('/api/mhl/selection', { assetIds: [secret] });
    const none = await editor.post('/api/mhl/selection', {
      assetIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(sel.statusCode).toBe(404);
    expect(sel.json().message).toBe(none.json().message);
    expect((await admin.get(`/api/mhl/card?folder=${q('/Secret')}`)).statusCode).toBe(404);
  });

  it('a folder MHL lists what the caller sees, relative to the folder, and validates', async () => {
    const forEditor = await editor.get(`/api/mhl/folder?folder=${q('/Shoot/A002R2EC')}`);
    expect(forEditor.statusCode).toBe(200);
    expect(forEditor.headers['content-type']).toContain('application/xml');
    expect(forEditor.headers['content-disposition']).toMatch(/attachment; filename="A002R2EC_.*\.mhl"/);
    expect(schemaErrors(forEditor.body, 'generation')).toBeNull();
    expect(parseGeneration(forEditor.body).files.map((f) => f.path)).toEqual(['Sidecar.txt']);
    const forAdmin = parseGeneration((await admin.get(`/api/mhl/folder?folder=${q('/Shoot')}`)).body);
    const paths = forAdmin.files.map((f) => f.path);
    expect(paths).toContain('A002R2EC/Clips/A002C006_141024_R2EC.mov');
    expect(paths).toContain('Reels/Summary.txt');
    // The histories themselves are not listed as media.
    expect(paths.filter((p) => p.includes('ascmhl'))).toEqual([]);
    const summary = forAdmin.files.find((f) => f.path === 'Reels/Summary.txt')!;
    expect(summary.values.xxh64?.value).toBe('0ac48e431d4538ba');
  });

  it('a selection MHL is relative to the deepest common folder and names the bytes', async () => {
    const a = await idOf('/Shoot/Reels/A002R2EC/Clips', 'A002C006_141024_R2EC.mov');
    const b = await idOf('/Shoot/Reels/A003R2EC', 'Sidecar.txt');
    const res = await admin.post('/api/mhl/selection', { assetIds: [a, b] });
    expect(res.statusCode).toBe(200);
    expect(schemaErrors(res.body, 'generation')).toBeNull();
    const files = parseGeneration(res.body).files;
    expect(files.map((f) => f.path)).toEqual([
      'A002R2EC/Clips/A002C006_141024_R2EC.mov',
      'A003R2EC/Sidecar.txt',
    ]);
    expect(files[0]!.values.xxh64?.value).toBe('0ea03b369a463d9d');
    expect((await admin.post('/api/mhl/selection', { assetIds: [] })).statusCode).toBe(400);
    expect((await admin.post('/api/mhl/selection', { assetIds: ['not-a-uuid'] })).statusCode).toBe(400);
  });

  it('hostile histories in the lake (DTD, entities, escaping paths) are problems, never read or followed', async () => {
    const dtd = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0"><hashlist sequencenr="1"><path>&e;</path><c4>c4</c4></hashlist></ascmhldirectory>`;
    await importFile(t, '/Hostile/ascmhl', 'ascmhl_chain.xml', dtd);
    await importFile(t, '/Hostile', 'a.mov', 'a');
    await t.dailies.jobs.drain(30_000);
    const card = (await admin.get(`/api/mhl/card?folder=${q('/Hostile')}`)).json();
    expect(card.problems).toEqual([expect.stringContaining('document type')]);
    expect(card.generations).toBe(0);
    expect(JSON.stringify(card)).not.toContain('root:');

    // A generation listing paths that climb out of the card: ignored, reported; the card's own file still checked.
    const xxh = hashAll(['xxh64'], Buffer.from('b')).xxh64!;
    const gen = `<?xml version="1.0" encoding="UTF-8"?><hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0"><creatorinfo><creationdate>2026-12-01T00:00:00+00:00</creationdate><hostname>h</hostname><tool>t</tool></creatorinfo><processinfo><process>in-place</process></processinfo><hashes><hash><path size="1">../Secret/x.mov</path><xxh64 action="original">${xxh}</xxh64></hash><hash><path size="1">/etc/passwd</path><xxh64 action="original">${xxh}</xxh64></hash><hash><path size="1">b.mov</path><xxh64 action="original">${xxh}</xxh64></hash></hashes></hashlist>`;
    const { c4Of } = await import('../../src/lib/mhl/hash-formats.js');
    const { writeChain } = await import('../../src/lib/mhl/mhl-writer.js');
    await importFile(t, '/Climb/ascmhl', '0001_Climb_2026-12-01_000000Z.mhl', gen);
    await importFile(t, '/Climb', 'b.mov', 'b');
    await importFile(
      t,
      '/Climb/ascmhl',
      'ascmhl_chain.xml',
      writeChain([{ sequence: 1, path: '0001_Climb_2026-12-01_000000Z.mhl', c4: c4Of(Buffer.from(gen)) }]),
    );
    await t.dailies.jobs.drain(30_000);
    const climb = (await admin.get(`/api/mhl/card?folder=${q('/Climb')}`)).json();
    expect(climb).toMatchObject({ verified: 1, missing: [] });
    expect(climb.problems).toHaveLength(2);
    // /Secret's asset got no verdict from a history outside it.
    const secret = await idOf('/Secret', 'x.mov');
    expect((await admin.get(`/api/assets/${secret}/mhl`)).json().verdict).toBeNull();
  });
});

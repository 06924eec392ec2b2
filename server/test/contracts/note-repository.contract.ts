import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Note, NoteRepository } from '../../src/ports/notes.js';

/**
 * The NoteRepository contract: every catalog stores and returns notes alike. `make` returns a
 * fresh, migrated, empty repository.
 */
export function noteRepositoryContract(label: string, make: () => Promise<NoteRepository>): void {
  describe(`NoteRepository contract: ${label}`, () => {
    it('keeps a note as written, whatever its text holds, and finds it by id and by asset', async () => {
      const notes = await make();
      const asset = randomUUID();
      const texts = [
        'plain',
        "it's 50% _done_ \\ %",
        'Café',
        'Cafe\u0301',
        '🎬 take 3\nline two',
        'x'.repeat(10_000),
      ];
      const written: Note[] = [];
      for (const [i, body] of texts.entries()) {
        const note = aNote(asset, { body, createdAt: 1000 + i, frame: i === 0 ? null : i * 2 ** 40 });
        await notes.add(note);
        written.push(note);
      }
      expect(await notes.get(written[3].id)).toEqual(written[3]);
      expect(await notes.forAssets([asset])).toEqual(written);
      expect(await notes.get(randomUUID())).toBeNull();
      expect(await notes.forAssets([])).toEqual([]);
    });

    it('returns only the named assets, oldest first then by id', async () => {
      const notes = await make();
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ asset: fc.constantFrom(a, b, c), at: fc.integer({ min: 0, max: 5 }) }), {
            maxLength: 12,
          }),
          async (specs) => {
            const made = specs.map((s) => aNote(s.asset, { createdAt: s.at }));
            for (const note of made) await notes.add(note);
            const want = made
              .filter((n) => n.assetId !== c)
              .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1));
            const got = (await notes.forAssets([a, b, a])).filter((n) => made.some((m) => m.id === n.id));
            expect(got).toEqual(want);
            await notes.forget([a, b, c]);
            expect(await notes.forAssets([a, b, c])).toEqual([]);
          },
        ),
        { numRuns: 20 },
      );
    });

    it('updates and deletes one note, telling whether it was there', async () => {
      const notes = await make();
      const asset = randomUUID();
      const note = aNote(asset, { frame: 10, endFrame: 20 });
      const other = aNote(asset, {});
      await notes.add(note);
      await notes.add(other);
      expect(
        await notes.update(note.id, { body: 'changed', frame: null, endFrame: null, updatedAt: 99 }),
      ).toBe(true);
      expect(await notes.get(note.id)).toEqual({
        ...note,
        body: 'changed',
        frame: null,
        endFrame: null,
        updatedAt: 99,
      });
      expect(await notes.update(randomUUID(), { body: 'x', updatedAt: 1 })).toBe(false);
      expect(await notes.delete(note.id)).toBe(true);
      expect(await notes.delete(note.id)).toBe(false);
      expect(await notes.forAssets([asset])).toEqual([other]);
    });

    it('reads the notes of more assets than one statement may name', async () => {
      const notes = await make();
      const assets = Array.from({ length: 1201 }, () => randomUUID());
      const made = assets.filter((_, i) => i % 200 === 0).map((id, i) => aNote(id, { createdAt: 50 - i }));
      for (const note of made) await notes.add(note);
      const got = await notes.forAssets(assets);
      expect(got.map((n) => n.id)).toEqual([...made].reverse().map((n) => n.id));
      await notes.forget(assets);
      expect(await notes.forAssets(assets)).toEqual([]);
    });
  });
}

function aNote(assetId: string, overrides: Partial<Note>): Note {
  return {
    id: randomUUID(),
    assetId,
    authorId: randomUUID(),
    authorName: 'anna',
    body: 'a note',
    frame: null,
    endFrame: null,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

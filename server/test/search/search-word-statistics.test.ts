import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planWords, SearchWordStatistics } from '../../src/adapters/db/search-word-statistics.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { expectFacets, names, seedAsset, sorted } from './support.js';

describe('which words of a search drive it', () => {
  const shares: Record<string, number> = { shoot: 1, day: 1, cam: 0.4, scene: 0.1, take: 0.1, '4': 0.13 };
  const shareOf = (word: string) => shares[word] ?? 0;

  it('checks a word on a third of the lake or more on the rows the rarer words find', () => {
    expect(planWords(['shoot', 'day', '034', 'cam'], shareOf)).toEqual({
      driving: ['034'],
      checked: ['cam', 'shoot', 'day'],
    });
  });

  it('keeps every less common word in the index, since together they narrow', () => {
    expect(planWords(['scene', '4', 'take'], shareOf)).toEqual({
      driving: ['scene', 'take', '4'],
      checked: [],
    });
  });

  it('lets the rarest word drive when every word is common', () => {
    expect(planWords(['day', 'cam', 'shoot'], shareOf)).toEqual({
      driving: ['cam'],
      checked: ['day', 'shoot'],
    });
  });

  it('drives with every word when nothing is known of them', () => {
    expect(planWords(['a001', 'mov'], () => 0)).toEqual({ driving: ['a001', 'mov'], checked: [] });
  });
});

// Real: the whole app on SQLite and on a fresh PostgreSQL database, whose statistics
// (ANALYZE) name the words on most assets.
for (const catalog of CATALOGS) {
  describe(`a search with words on most assets (${catalog})`, () => {
    let t: TestDailies;
    const expected: string[] = [];
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      // `shoot` and `day` on every asset, `cam` on two in three, each day on a quarter.
      for (const day of ['01', '02', '03', '04'])
        for (const unit of ['Cam A', 'Cam B', 'Sound']) {
          const name = `${unit.replace(' ', '')}_${day}.${unit === 'Sound' ? 'wav' : 'mov'}`;
          await seedAsset(t.dailies.catalog, `/Shoot Day ${day}/${unit}`, name);
          if (day === '01' && unit !== 'Sound') expected.push(name);
        }
      await sql`analyze`.execute(t.dailies.connection.db);
    });
    afterAll(async () => t?.close());

    if (catalog === 'postgres')
      it('finds the rows by the rare words and checks the common ones', async () => {
        const plan = await new SearchWordStatistics(t.dailies.connection.db, catalog).plan([
          'shoot',
          'day',
          '01',
          'cam',
        ]);
        expect(plan.driving).toEqual(['01']);
        expect(sorted(plan.checked)).toEqual(['cam', 'day', 'shoot']);
      });

    it('answers exactly: the checked words still have to match', async () => {
      const reply = await t.api('GET', '/api/search?q=shoot%20day%2001%20cam&limit=100');
      expect(reply.status).toBe(200);
      expect(sorted(names(reply.body))).toEqual(sorted(expected));
      expect(reply.body.total).toBe(expected.length);
      // The facets too: day 01's sound file has every driving word but not `cam`.
      const wav = await t.api('GET', '/api/search?q=shoot%20day%2001%20cam&format=WAV');
      expect(wav.body.total).toBe(0);
      expectFacets(wav.body, { format: ['MOV 2'] });
    });
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampWidth, MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, parseColumnPrefs } from '../src/features/assets/api/column-prefs';

const KNOWN = ['name', 'format', 'state', 'location', 'size'] as const;
const DEFAULTS = ['name', 'state'];

describe('column preferences as stored', () => {
  it('reads back what was written, in the table order', () => {
    const stored = JSON.stringify({ visible: ['size', 'name', 'location'], widths: { name: 300, size: 90 } });
    expect(parseColumnPrefs(stored, KNOWN, DEFAULTS)).toEqual({
      visible: ['name', 'location', 'size'],
      widths: { name: 300, size: 90 },
    });
  });

  it('falls back to the defaults on anything odd, never throws, never names an unknown column', () => {
    for (const raw of [null, '', 'not json', '[]', '7', 'null', '{"visible":"name"}', '{"visible":[]}'])
      expect(parseColumnPrefs(raw, KNOWN, DEFAULTS).visible).toEqual(DEFAULTS);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (raw) => {
        const prefs = parseColumnPrefs(raw, KNOWN, DEFAULTS);
        expect(prefs.visible.length).toBeGreaterThan(0);
        for (const id of prefs.visible) expect(KNOWN).toContain(id);
        for (const [id, width] of Object.entries(prefs.widths)) {
          expect(KNOWN).toContain(id);
          expect(width).toBeGreaterThanOrEqual(MIN_COLUMN_WIDTH);
          expect(width).toBeLessThanOrEqual(MAX_COLUMN_WIDTH);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps widths within bounds: huge, negative, NaN, Infinity', () => {
    const stored = JSON.stringify({ visible: ['name'], widths: { name: 1e12, size: -5, state: 'wide', __proto__: 9 } });
    expect(parseColumnPrefs(stored, KNOWN, DEFAULTS).widths).toEqual({ name: MAX_COLUMN_WIDTH, size: MIN_COLUMN_WIDTH });
    expect(clampWidth(Number.NaN)).toBe(MIN_COLUMN_WIDTH);
    expect(clampWidth(Number.POSITIVE_INFINITY)).toBe(MIN_COLUMN_WIDTH);
    expect(clampWidth(123.6)).toBe(124);
  });
});

/**
 * One naming of an asset's logging fields for every reader: the API names custom values by the
 * field's key, the bins by its label, both through `namedLog`. Property-based: any log, any
 * naming (ids that look like `%`/`_` patterns, Unicode twins, names shared by two fields).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLogView } from '../../src/features/logging/logging.service.js';
import { namedLog } from '../../src/features/logging/named-log.js';
import type { AssetLog } from '../../src/ports/asset-log.js';

const text = fc.oneof(fc.string(), fc.constantFrom('%', '_', 'Caf\u00e9', 'Cafe\u0301', ''));
const value = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }));
const log = fc.record({
  camera: fc.option(text),
  reel: fc.option(text),
  scene: fc.option(text),
  take: fc.option(text),
  circled: fc.boolean(),
  rating: fc.option(fc.integer({ min: 0, max: 5 })),
  description: fc.option(text),
  custom: fc.dictionary(text, value),
});
const asLog = (fields: object): AssetLog =>
  ({
    assetId: 'a',
    ...fields,
    cameraSource: null,
    reelSource: null,
    updatedAt: null,
    updatedBy: null,
  }) as AssetLog;

describe('namedLog', () => {
  it('keeps every plain field, names each known custom value, leaves out unknown ones', () => {
    fc.assert(
      fc.property(
        log,
        fc.dictionary(
          text,
          text.filter((n) => n !== ''),
        ),
        (raw, naming) => {
          const l = asLog(raw);
          const nameOf = new Map(Object.entries(naming));
          const named = namedLog(l, nameOf);
          for (const key of ['camera', 'reel', 'scene', 'take', 'circled', 'rating', 'description'] as const)
            expect(named[key]).toBe(l[key]);
          const expected: Record<string, string | number> = {};
          for (const [id, v] of Object.entries(l.custom)) if (nameOf.get(id)) expected[nameOf.get(id)!] = v;
          expect(named.custom).toEqual(expected);
          // Every name comes from the naming: no catalog id shows through.
          for (const name of Object.keys(named.custom)) expect([...nameOf.values()]).toContain(name);
        },
      ),
    );
  });

  it('is what the API view and the bins both start from', () => {
    const l = asLog({
      camera: 'A',
      reel: 'A001',
      scene: '12',
      take: '3',
      circled: true,
      rating: 4,
      description: 'Best',
      custom: { f1: '35mm', f2: 7, gone: 'x' },
    });
    const keys = new Map([
      ['f1', 'lens'],
      ['f2', 'slate_no'],
    ]);
    const labels = new Map([
      ['f1', 'Lens'],
      ['f2', 'Slate #'],
    ]);
    const { automatic, ...view } = toLogView(l, keys);
    expect(view).toEqual(namedLog(l, keys));
    expect(view.custom).toEqual({ lens: '35mm', slate_no: 7 });
    expect(namedLog(l, labels).custom).toEqual({ Lens: '35mm', 'Slate #': 7 });
    expect(automatic).toEqual([]);
  });
});

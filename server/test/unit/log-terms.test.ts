import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logTerms } from '../../src/features/search/log-terms.js';
import { searchWords } from '../../src/features/search/search.service.js';
import type { CustomLogField } from '../../src/ports/asset-log.js';

const fields: CustomLogField[] = [
  { id: 'f-lens', key: 'lens', label: 'Lens', kind: 'text', choices: [], position: 0, createdAt: 0 },
  { id: 'f-stop', key: 'stop', label: 'Stop', kind: 'number', choices: [], position: 1, createdAt: 0 },
];

describe('logging fields in the search text', () => {
  it('takes field:value words out of the text as filters', () => {
    const { text, filters } = logTerms(
      'sunset scene:12a circled:yes take:3 rating:4 lens:"35 MM" stop:2.8',
      fields,
    );
    expect(searchWords(text)).toEqual(['sunset']);
    expect(filters).toEqual({
      scenes: ['12A'],
      circled: true,
      takes: ['3'],
      ratingMin: 4,
      custom: [
        { fieldId: 'f-lens', text: '35 mm' },
        { fieldId: 'f-stop', number: 2.8 },
      ],
    });
  });

  it('other x:y words stay text; bad values are a clear 400', () => {
    expect(logTerms('http://x nope:1', fields)).toEqual({ text: 'http://x nope:1', filters: {} });
    expect(() => logTerms('circled:maybe', fields)).toThrow(/yes or no/);
    expect(() => logTerms('rating:9', fields)).toThrow(/0 to 5/);
    expect(() => logTerms('stop:abc', fields)).toThrow(/number/);
    expect(() => logTerms('scene:""', fields)).toThrow(/Say which scene/);
  });

  it('never throws anything but a 400 and never leaves a field word in the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (q) => {
        try {
          const { text } = logTerms(q, fields);
          expect(text).not.toMatch(
            /(?<![\p{L}\p{N}_])(scene|take|camera|reel|circled|rating|lens|stop):[^\s"]/iu,
          );
        } catch (error) {
          expect((error as { status?: number }).status).toBe(400);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * Where single sign-on lands afterwards (issue 11, finding 6: `/%09/evil.example` passed the
 * old check, since the query string decodes it to `/\t/evil.example` and a browser drops the tab).
 * Whatever is asked for, what a browser would follow from the answer stays on this server.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/features/auth/return-to.js';

const ORIGIN = 'https://dailies.example';

/** Where a browser goes for `Location: <value>` sent from a page of ours (WHATWG URL parsing). */
function browserTarget(location: string): URL {
  return new URL(location, `${ORIGIN}/api/auth/oidc/callback`);
}

const PIECES = [
  '/',
  '//',
  '\\',
  '/\\',
  '\t',
  '\n',
  '\r',
  ' ',
  '%09',
  '%0a',
  '%2F',
  '%2f',
  '%5C',
  '%00',
  '\u0000',
  '\u000b',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u200b',
  '\ufeff',
  'evil.example',
  'https:',
  'http:',
  'javascript:',
  'data:',
  '@',
  ':',
  '.',
  '..',
  '?',
  '#',
  'x',
  'folders',
  '%',
  '_',
  'é',
  '\u0085',
];

describe('the OIDC return path', () => {
  it('keeps a path on this server as it was asked for', () => {
    for (const path of ['/', '/folders/Day%2003/Cam%20A', '/trash', '/folders/x?sort=name#top', '/%E2%9C%93'])
      expect(safeReturnTo(path)).toBe(path);
  });

  it('refuses every spelling of another site', () => {
    const hostile = [
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/ /evil.example',
      '\t//evil.example',
      'https://evil.example',
      'https:evil.example',
      'https:/evil.example',
      'javascript:alert(1)',
      '/.//evil.example',
      '/..//evil.example',
      '/./\\evil.example',
      'evil.example',
      '',
    ];
    for (const value of hostile) {
      const kept = safeReturnTo(value);
      expect(browserTarget(kept).origin, JSON.stringify(value)).toBe(ORIGIN);
      expect(kept.startsWith('//'), JSON.stringify(value)).toBe(false);
    }
    // Values that are not text at all (a repeated query parameter arrives as an array).
    for (const value of [undefined, null, 42, ['//evil.example'], { x: 1 }])
      expect(safeReturnTo(value)).toBe('/');
  });

  it('never lets a browser leave this server, for generated values', () => {
    const built = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join(''));
    let tried = 0;
    fc.assert(
      fc.property(fc.oneof(built, fc.string(), fc.string({ unit: 'binary' })), (value) => {
        tried++;
        const kept = safeReturnTo(value);
        const target = browserTarget(kept);
        expect(target.origin).toBe(ORIGIN);
        expect(kept.startsWith('/')).toBe(true);
        expect(kept.startsWith('//')).toBe(false);
        // What the browser follows is the text that was checked (no control character or
        // backslash for it to rewrite).
        expect(`${target.pathname}${target.search}${target.hash}`).toBe(kept);
      }),
      { numRuns: 5000 },
    );
    expect(tried).toBeGreaterThanOrEqual(5000);
  });
});

/**
 * What the web app's fallback takes for an API path (and so answers 404 to, never its page):
 * every spelling of `/api/...` the permission matrix tries, and none of the app's own routes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeApiPath } from '../../src/lib/api-path.js';
import { spellingsOf } from '../auth/url-spellings.js';

describe('looksLikeApiPath', () => {
  it('sees /api behind every spelling', () => {
    for (const path of ['/api/folders', '/api/assets/123/proxy', '/api/downloads/x.y', '/api'])
      for (const spelling of spellingsOf(path))
        expect(looksLikeApiPath(spelling.path), `${spelling.name}: ${spelling.path}`).toBe(true);
    for (const path of ['http://evil.example/api/x', 'HTTP://h:1/API/x', '/api\\folders', '/%2e%2e/api/x'])
      expect(looksLikeApiPath(path), path).toBe(true);
  });

  it("never takes the app's own pages for it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('/browse', '/folders', '/trash', '/search', '/admin', '/'),
        fc.array(
          fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[/\\%;.]/.test(s)),
          { maxLength: 3 },
        ),
        (root, rest) => {
          const path = [root, ...rest.map(encodeURIComponent)].join('/').replace('//', '/');
          expect(looksLikeApiPath(path), path).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
    expect(looksLikeApiPath('/browse/api')).toBe(false);
    expect(looksLikeApiPath('/apiary')).toBe(false);
  });
});

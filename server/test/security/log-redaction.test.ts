/**
 * The request log's URL (issue 11, finding 9), for generated spellings: whatever letters of
 * `downloads`, `code` or `state` are percent-encoded or upper-cased, the secret is not written.
 * The whole logger is exercised in edge.test.ts; this pins the rule over many spellings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/plugins/log-redaction.js';

/** `word` with each letter kept, upper-cased or percent-encoded (either case of hex). */
const spelled = (word: string) =>
  fc
    .array(fc.constantFrom('keep', 'upper', 'encode', 'ENCODE'), {
      minLength: word.length,
      maxLength: word.length,
    })
    .map((choices) =>
      [...word]
        .map((char, i) => {
          const hex = char.charCodeAt(0).toString(16);
          if (choices[i] === 'upper') return char.toUpperCase();
          if (choices[i] === 'encode') return `%${hex}`;
          if (choices[i] === 'ENCODE') return `%${hex.toUpperCase()}`;
          return char;
        })
        .join(''),
    );
const secret = fc.stringMatching(/^[A-Za-z0-9_-]{12,80}$/).map((s) => `SECRET${s}`);

describe('request log redaction', () => {
  it('never writes a download token, for any spelling of the path', () => {
    fc.assert(
      fc.property(
        spelled('api'),
        spelled('downloads'),
        secret,
        fc.boolean(),
        (api, downloads, token, query) => {
          const url = `/${api}/${downloads}/${token}${query ? '?x=1' : ''}`;
          const logged = redactUrl(url);
          expect(logged).not.toContain(token);
          expect(logged).toContain('[redacted]');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never writes an OIDC code or state, for any spelling of their names', () => {
    fc.assert(
      fc.property(spelled('code'), spelled('state'), secret, secret, (code, state, a, b) => {
        const logged = redactUrl(`/api/auth/oidc/callback?${code}=${a}&iss=https%3A%2F%2Fidp&${state}=${b}`);
        expect(logged).not.toContain(a);
        expect(logged).not.toContain(b);
        // What is not a secret stays, so the log still tells what happened.
        expect(logged).toContain('iss=https%3A%2F%2Fidp');
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves other URLs as they were', () => {
    for (const url of ['/api/folders?path=%2FDay%2001', '/api/assets/123/proxy', '/api/downloads', '/'])
      expect(redactUrl(url)).toBe(url);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hideServerPaths } from '../../src/lib/server-paths.js';

/** The plain rule, with no shortcut: every root, longest first, replaced wherever it is. */
function reference(text: string, roots: ReadonlyArray<{ path: string; name: string }>): string {
  const sorted = roots
    .filter((root) => root.path.startsWith('/') && root.path.length > 1)
    .map((root) => ({ ...root, path: root.path.endsWith('/') ? root.path.slice(0, -1) : root.path }))
    .sort((a, b) => b.path.length - a.path.length);
  let out = text;
  for (const root of sorted) out = out.split(root.path).join(`<${root.name}>`);
  return out;
}

describe('hiding the server’s directories in an answer', () => {
  it('names the lake inside the data dir as the lake, and leaves a sibling with a longer name alone', () => {
    const roots = [
      { path: '/srv/dailies', name: 'data' },
      { path: '/srv/dailies/lake/', name: 'lake' },
      { path: '/srv/dailies2', name: 'volume B' },
      { path: '/', name: 'root' },
    ];
    expect(
      hideServerPaths('"/srv/dailies/lake/Day 1/a.mov" "/srv/dailies2/x" "/srv/dailies/db"', roots),
    ).toBe('"<lake>/Day 1/a.mov" "<volume B>/x" "<data>/db"');
    expect(hideServerPaths('{"path":"/Day 1/a.mov"}', roots)).toBe('{"path":"/Day 1/a.mov"}');
  });

  it('gives what replacing every root in turn gives, for nested, prefixed and repeated roots (fast-check)', () => {
    const segment = fc.constantFrom('srv', 'data', 'data2', 'lake', 'l', 'da', 'x');
    const rootPath = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .chain((parts) => fc.constantFrom(`/${parts.join('/')}`, `/${parts.join('/')}/`));
    const roots = fc.array(
      fc.record({ path: rootPath, name: fc.constantFrom('data', 'lake', 'work', 'web') }),
      {
        maxLength: 6,
      },
    );
    const piece = fc.oneof(
      rootPath,
      segment,
      fc.constantFrom('/', '"', ' ', '<lake>', 'é'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(roots, fc.array(piece, { maxLength: 20 }), (rs, pieces) => {
        const text = pieces.join('');
        expect(hideServerPaths(text, rs)).toBe(reference(text, rs));
      }),
      { numRuns: 2000 },
    );
  });
});

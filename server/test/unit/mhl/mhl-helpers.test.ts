import { describe, expect, it } from 'vitest';
import { commonFolder } from '../../../src/features/mhl/mhl-download.js';
import { ignoredByHistory } from '../../../src/lib/mhl/mhl-history.js';
import { generationFileName, mhlPathProblem } from '../../../src/lib/mhl/mhl-paths.js';

describe('MHL helpers', () => {
  it('the deepest common folder of a selection compares whole names, never prefixes', () => {
    expect(commonFolder(['/Day 01/Cam A', '/Day 01/Cam B'])).toBe('/Day 01');
    expect(commonFolder(['/Day 01', '/Day 010'])).toBe('/');
    expect(commonFolder(['/Day 01/Cam A'])).toBe('/Day 01/Cam A');
    expect(commonFolder(['/', '/x'])).toBe('/');
    expect(commonFolder([])).toBe('/');
  });

  it('ignore patterns: names, folders (trailing slash) and wildcards; regex characters are literal', () => {
    const patterns = ['.DS_Store', 'ascmhl', 'ascmhl/', '*.tmp', 'a+b'];
    expect(ignoredByHistory('Clips/.DS_Store', patterns)).toBe(true);
    expect(ignoredByHistory('ascmhl/0001.mhl', patterns)).toBe(true);
    expect(ignoredByHistory('Clips/x.tmp', patterns)).toBe(true);
    expect(ignoredByHistory('Clips/a+b', patterns)).toBe(true);
    expect(ignoredByHistory('Clips/aab', patterns)).toBe(false);
    expect(ignoredByHistory('Clips/A001.mov', patterns)).toBe(false);
    expect(ignoredByHistory('Clips/DS_Store', ['.DS_Store'])).toBe(false);
    // A folder-only pattern does not match a file of that name.
    expect(ignoredByHistory('Reels/cache', ['cache/'])).toBe(false);
    expect(ignoredByHistory('cache/x.bin', ['cache/'])).toBe(true);
  });

  it('generation names follow the standard: sequence, folder, UTC time', () => {
    expect(generationFileName(3, 'A002R2EC', new Date(Date.UTC(2026, 11, 3, 9, 25, 1, 999)))).toBe(
      '0003_A002R2EC_2026-12-03_092501Z.mhl',
    );
    expect(generationFileName(12345, '', new Date(0))).toBe('12345_root_1970-01-01_000000Z.mhl');
    expect(mhlPathProblem(generationFileName(1, 'Day 01 % _', new Date(0)))).toBeNull();
  });
});

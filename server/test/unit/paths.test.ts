import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assetKey,
  checkName,
  extensionOf,
  folderKey,
  isReservedName,
  isWithin,
  joinFolder,
  nameKey,
  normalizeFolderPath,
  parentPath,
  splitKey,
  validateName,
} from '../../src/lib/paths.js';

/** Names every lake and volume can hold: letters, digits, a few safe marks, no edge spaces or dots. */
const safeName = fc
  .stringMatching(/^[A-Za-z0-9éÉßσΣ_%-][A-Za-z0-9éÉßσΣ _%.-]{0,20}[A-Za-z0-9éÉßσΣ_%-]$/)
  .filter((n) => !isReservedName(n) && !/^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$/i.test(n));
const folderPath = fc.array(safeName, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`);

describe('lib/paths', () => {
  it('a folder path and a name make a key that splits back into them', () => {
    fc.assert(
      fc.property(folderPath, safeName, (folder, name) => {
        const normal = normalizeFolderPath(folder);
        expect(splitKey(assetKey(normal, name))).toEqual({ folderPath: normal, name });
        expect(parentPath(joinFolder(normal, name))).toBe(normal);
        expect(isWithin(joinFolder(normal, name), normal)).toBe(true);
        expect(folderKey(normal)).toBe(normal.slice(1));
      }),
    );
  });

  it('normalising is idempotent and ignores a missing or trailing slash', () => {
    fc.assert(
      fc.property(folderPath, (path) => {
        const once = normalizeFolderPath(path);
        expect(normalizeFolderPath(once)).toBe(once);
        expect(normalizeFolderPath(`${path.slice(1)}/`)).toBe(once);
      }),
    );
  });

  it('a sibling is not within a folder that is a prefix of its name', () => {
    expect(isWithin('/Day 10', '/Day 1')).toBe(false);
    expect(isWithin('/Day 1/A', '/Day 1')).toBe(true);
    expect(isWithin('/anything', '/')).toBe(true);
  });

  it('names twin by case and Unicode form, and the reserved prefix in any case', () => {
    expect(nameKey('ROLL.mov')).toBe(nameKey('roll.MOV'));
    expect(nameKey('e\u0301.mov')).toBe(nameKey('é.mov'));
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(isReservedName('.DAILIES-trash')).toBe(true);
    expect(validateName('e\u0301')).toBe('é');
  });

  it('refuses names a lake or an SMB volume cannot hold, naming the rule', () => {
    const refused: Array<[string, RegExp]> = [
      ['', /empty/],
      ['..', /"\."/],
      ['a/b', /cannot contain "\/"/],
      ['a\\b', /cannot contain "\/"/],
      ['tab\there', /control characters/],
      ['clip\u202Evom.exe', /text-direction/],
      [' lead', /space/],
      ['trail.', /end with a dot/],
      ['what?', /< > :/],
      ['con.txt', /reserved on Windows/],
      ['COM¹', /reserved on Windows/],
      ['x'.repeat(256), /255 bytes/],
      ['é'.repeat(128), /255 bytes/],
      ['.Dailies-x', /reserved for Dailies/],
    ];
    for (const [name, rule] of refused) expect(() => checkName(name), name).toThrow(rule);
    expect(() => normalizeFolderPath('/a\\b')).toThrow(/separate folders with/);
    expect(() => normalizeFolderPath(`/${'a'.repeat(200)}`.repeat(16))).toThrow(/longer than 3,072 bytes/);
  });

  it('the extension is upper case, and a dot file has none', () => {
    expect(extensionOf('a.mov')).toBe('MOV');
    expect(extensionOf('.mov')).toBe('');
    expect(extensionOf('archive.tar.gz')).toBe('GZ');
    expect(extensionOf('README')).toBe('');
  });
});

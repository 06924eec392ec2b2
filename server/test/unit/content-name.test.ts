import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentNameWarning } from '../../src/features/processing/content-name.js';

describe('content against name', () => {
  it('warns when the tools read another container than the extension names', () => {
    expect(contentNameWarning('A001.mxf', 'JPEG')).toMatch(
      /content is JPEG, not what the name's "\.mxf" says \(MXF\)/,
    );
    expect(contentNameWarning('take.WAV', 'MPEG Audio')).toMatch(/MPEG Audio/);
    expect(contentNameWarning('clip.mov', 'MXF')).toMatch(/"\.mov"/);
  });

  it('is quiet when they agree, in any case of the extension, and when nothing is sure', () => {
    for (const [name, format] of [
      ['A001.mov', 'MPEG-4'],
      ['A001.MOV', 'QuickTime'],
      ['a.Mp4', 'MPEG-4'],
      ['still.jpeg', 'JPEG'],
      ['still.JPG', 'JPEG'],
      ['mix.wav', 'RF64'],
      ['README', 'JPEG'],
      ['.mxf', 'JPEG'],
      ['clip.r3d', 'JPEG'],
      ['clip.mxf', null],
      ['clip.mxf', 'QuickTime / MOV'],
      ['clip.mxf', 'Some future container'],
    ] as const)
      expect(contentNameWarning(name, format), `${name} ${format}`).toBeNull();
  });

  it('never reads names like object keys (__proto__, constructor) or odd spellings as extensions', () => {
    for (const name of [
      'x.__proto__',
      'x.constructor',
      'x.toString',
      'x.hasOwnProperty',
      'x.ＭＸＦ',
      'x.mxf\u0000',
    ])
      expect(contentNameWarning(name, 'JPEG')).toBeNull();
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('JPEG', 'MXF', 'MPEG-4', 'PNG', 'Wave', null),
        (name, format) => {
          const warning = contentNameWarning(name, format);
          if (warning !== null) expect(warning).toContain(format!);
        },
      ),
    );
  });
});

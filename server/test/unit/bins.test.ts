import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeAle } from '../../src/features/bins/ale-writer.js';
import { type BinClip, oneLine } from '../../src/features/bins/bin-clip.js';
import { binTiming } from '../../src/features/bins/bin-rate.js';
import { csvCell, writeCsv } from '../../src/features/bins/csv-writer.js';
import { mediaUrl, writeFcpxml } from '../../src/features/bins/fcpxml-writer.js';
import { framesToTimecode, type Rate, timecodeToFrames } from '../../src/lib/timecode.js';
import { parseAle } from '../bins/ale-parse.js';

const R23 = { num: 24000, den: 1001 };
const R25 = { num: 25, den: 1 };
const R2997 = { num: 30000, den: 1001 };

function clip(overrides: Partial<BinClip> = {}): BinClip {
  return {
    id: 'id',
    name: 'A001C003',
    sourceFile: 'A001C003.mov',
    relativePath: 'Day 01/A001C003.mov',
    kind: 'video',
    rate: R23,
    dropFrame: false,
    startFrame: 86_400,
    frames: 48,
    durationSeconds: 2.002,
    width: 1920,
    height: 1080,
    videoTracks: 1,
    audioChannels: 2,
    audioRate: 48000,
    notes: [],
    ...overrides,
  };
}

/** Text an attacker or a careless day would type: separators, quotes, formulas, Unicode twins. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '=1+1',
    '+SUM(A1)',
    '-2',
    '@cmd',
    'a\tb',
    'line\r\nbreak',
    '"quoted"',
    'a,b',
    '%_\\',
    'Cafe\u0301',
    'Café',
    '🎬',
    '',
  ),
);

describe('bins: ALE', () => {
  it('parses back to the same clips and fields, whatever they hold', () => {
    const clipArb = fc.record({
      name: hostileText,
      scene: hostileText,
      take: hostileText,
      circled: fc.boolean(),
      custom: hostileText,
      start: fc.nat({ max: 2_000_000 }),
      frames: fc.nat({ max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(clipArb, { minLength: 1, maxLength: 6 }), (specs) => {
        const clips = specs.map((s, i) =>
          clip({
            id: String(i),
            name: s.name,
            startFrame: s.start,
            frames: s.frames,
            log: { scene: s.scene, take: s.take, circled: s.circled, custom: { 'Lens mm': s.custom } },
          }),
        );
        const ale = parseAle(writeAle(clips));
        expect(ale.heading.FPS).toBe('23.976');
        expect(ale.columns.slice(0, 10)).toEqual([
          'Name',
          'Tracks',
          'Start',
          'End',
          'Duration',
          'Tape',
          'Source File',
          'Scene',
          'Take',
          'Circled',
        ]);
        expect(ale.columns).toContain('Comments');
        expect(ale.columns.at(-1)).toBe('Lens mm');
        expect(ale.rows).toHaveLength(clips.length);
        ale.rows.forEach((row, i) => {
          const s = specs[i];
          expect(row.Name).toBe(oneLine(s.name));
          expect(row.Scene).toBe(oneLine(s.scene));
          expect(row.Take).toBe(oneLine(s.take));
          expect(row.Circled).toBe(s.circled ? 'Yes' : '');
          expect(row['Lens mm']).toBe(oneLine(s.custom));
          expect(row.Tracks).toBe('VA1A2');
          expect(timecodeToFrames(row.Start, R23)).toBe(s.start);
          expect(timecodeToFrames(row.Duration, R23)).toBe(s.frames);
          // End is the frame after the clip, wrapped at 24 hours like any label.
          expect(row.End).toBe(framesToTimecode(s.start + s.frames, R23));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('writes drop-frame timecodes with ; and 29.97 in the heading', () => {
    const clips = [clip({ rate: R2997, dropFrame: true, startFrame: 107_892, frames: 1800 })];
    const ale = parseAle(writeAle(clips));
    expect(ale.heading.FPS).toBe('29.97');
    expect(ale.rows[0].Start).toBe('01:00:00;00');
    expect(ale.rows[0].End).toBe('01:01:00;02');
    expect(ale.rows[0].Duration).toBe('00:01:00;02');
  });

  it('puts notes in Comments at their timecode, and no line break or tab escapes a cell', () => {
    const ale = parseAle(
      writeAle([
        clip({
          rate: R25,
          startFrame: 90_000,
          notes: [
            { frame: 25, endFrame: null, text: 'soft\tfocus\nhere', author: 'anna' },
            { frame: null, endFrame: null, text: 'good take', author: 'bo' },
          ],
        }),
      ]),
    );
    expect(ale.rows[0].Comments).toBe('01:00:01:00 soft focus here (anna) | good take (bo)');
  });

  it('counts a bin of mixed rates in the rate most clips have, keeping start labels', () => {
    const clips = [
      clip({ rate: R25, startFrame: 900_000, frames: 50, durationSeconds: 2 }),
      clip({ rate: R25, startFrame: 25, frames: 25, durationSeconds: 1 }),
      clip({ rate: R23, startFrame: 86_400 + 23, frames: 48, durationSeconds: 2.002 }),
    ];
    expect(binTiming(clips)).toEqual({ rate: R25, dropFrame: false });
    const ale = parseAle(writeAle(clips));
    expect(ale.heading.FPS).toBe('25');
    expect(ale.rows.map((r) => r.Start)).toEqual(['10:00:00:00', '00:00:01:00', '01:00:00:23']);
    expect(ale.rows[2].Duration).toBe('00:00:02:00');
  });

  it('audio-only bins fall back to 25 fps and write audio tracks only', () => {
    const ale = parseAle(
      writeAle([
        clip({
          kind: 'audio',
          rate: null,
          startFrame: 0,
          frames: null,
          durationSeconds: 3,
          videoTracks: 0,
          width: null,
          height: null,
        }),
      ]),
    );
    expect(ale.heading.FPS).toBe('25');
    expect(ale.rows[0].Tracks).toBe('A1A2');
    expect(ale.rows[0].Duration).toBe('00:00:03:00');
  });
});

describe('bins: CSV', () => {
  it('quotes what needs quoting and keeps formulas as text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM')).toBe("'@SUM");
    expect(csvCell('-1')).toBe("'-1");
    const csv = writeCsv([
      clip({ name: '=cmd|x', notes: [{ frame: 0, endFrame: null, text: 'a,\nb', author: 'c' }] }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0].startsWith('Name,Source File,Path,Frame Rate,Start,End,Duration,Frames')).toBe(true);
    expect(lines[1]).toContain(
      "'=cmd|x,A001C003.mov,Day 01/A001C003.mov,24000/1001,01:00:00:00,01:00:02:00,00:00:02:00,48",
    );
    expect(csv).toContain('"01:00:00:00 a,\nb (c)"');
  });
});

describe('bins: FCPXML', () => {
  const rational = (t: string, rate: Rate) => {
    const m = /^(\d+)(?:\/(\d+))?s$/.exec(t)!;
    return (Number(m[1]) * rate.num) / (Number(m[2] ?? 1) * rate.den);
  };

  it('times are exact rationals of the clip rate; markers sit at the notes', () => {
    const xml = writeFcpxml(
      [
        clip({
          notes: [
            { frame: 24, endFrame: 36, text: 'boom <in> "shot" & out', author: 'anna' },
            { frame: null, endFrame: null, text: 'whole clip', author: 'anna' },
          ],
          log: { scene: '12A', take: '3', circled: true, custom: { Lens: '35, wide' } },
        }),
      ],
      { eventName: 'Day 01' },
    );
    expect(xml).toContain('<fcpxml version="1.10">');
    expect(xml).toContain('frameDuration="1001/24000s" width="1920" height="1080"');
    expect(xml).toContain('start="86486400/24000s" duration="48048/24000s"');
    const marker = /<marker start="([^"]+)" duration="([^"]+)" value="([^"]+)"/.exec(xml)!;
    expect(rational(marker[1], R23)).toBe(86_400 + 24);
    expect(rational(marker[2], R23)).toBe(12);
    expect(marker[3]).toBe('boom &lt;in&gt; &quot;shot&quot; &amp; out');
    expect(xml).toContain('value="Scene 12A, Take 3, Circled, Lens: 35; wide"');
    expect(xml).toContain('<rating start="86486400/24000s" duration="48048/24000s" value="favorite"/>');
    expect(xml).toContain('tcFormat="NDF"');
    expect(xml).toContain('src="Day%2001/A001C003.mov"');
    expect((xml.match(/<marker /g) ?? []).length).toBe(1);
  });

  it('drop-frame clips say DF; stills and other files stay out', () => {
    const xml = writeFcpxml(
      [clip({ rate: R2997, dropFrame: true, startFrame: 107_892 }), clip({ kind: 'image', name: 'still' })],
      { eventName: 'x' },
    );
    expect(xml).toContain('tcFormat="DF"');
    expect(xml).toContain('start="107999892/30000s"');
    expect(xml).not.toContain('name="still"');
  });

  it('makes media URLs that survive spaces, % and #', () => {
    expect(mediaUrl('Day 01/a%b#c?.mov')).toBe('Day%2001/a%25b%23c%3F.mov');
    expect(mediaUrl('Day/x.mov', 'file:///Volumes/Edit')).toBe('file:///Volumes/Edit/Day/x.mov');
  });
});

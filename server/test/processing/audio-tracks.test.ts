import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { importFromDisk } from '../support/builders.js';
import { CATALOGS, dailiesPerTest, settledAsset, type TestDailies } from '../support/harness.js';
import { shootFixture, TRACK_TONES } from '../support/shoot-fixtures.js';
import { decodeTrack, toneLevels } from '../support/tones.js';

const run = promisify(execFile);

// Real: each catalog, the fs lake, ffmpeg making the proxies; what comes out is decoded again
// and each tone looked for with a DFT. Issue 14: every audio track, 5.1 for the browser.
for (const catalog of CATALOGS) {
  describe(`audio tracks on ${catalog}`, { timeout: 240_000 }, () => {
    const start = dailiesPerTest();

    async function dailies() {
      const t = await start({ catalog, wiring: { jobBackoffMs: 50 } });
      /** A derivative's bytes saved to a file in the data dir, with its status and type. */
      const download = async (url: string, name: string) => {
        const response = await t.bytes(url);
        const file = join(t.dataDir, name);
        await writeFile(file, response.body);
        return { status: response.status, type: response.headers['content-type'], file };
      };
      return { t, download };
    }

    const settled = (t: TestDailies, id: string) => settledAsset(t, id, 200_000);

    const audioStreams = async (file: string) =>
      JSON.parse(
        (await run('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_streams', '-of', 'json', file]))
          .stdout,
      ).streams as Array<{ codec_name: string; channels: number }>;

    /** Each track's own tone stands out: at least 10× any other track's tone in it. */
    function expectOwnTone(samples: Float32Array, track: number) {
      const levels = toneLevels(samples, 48000, TRACK_TONES);
      expect(levels[track], `track ${track + 1}: ${levels.map((l) => l.toFixed(4))}`).toBeGreaterThan(0.05);
      for (const [other, level] of levels.entries())
        if (other !== track)
          expect(level, `track ${track + 1} holds tone ${other + 1}`).toBeLessThan(levels[track] / 10);
    }

    it('keeps all eight mono tracks of an MXF: in the proxy, each on its own, and in the waveform', async () => {
      const { t, download } = await dailies();
      const imported = await importFromDisk(t, '/Day 01', 'A001C001_8ch.mxf', shootFixture('eightMonoMxf'));
      const asset = await settled(t, imported.id);
      expect(asset).toMatchObject({ state: 'ready', kind: 'video', audioTracks: 8 });

      const proxy = await download(asset.derivatives.proxy, 'proxy.mp4');
      expect(proxy.status).toBe(200);
      const streams = await audioStreams(proxy.file);
      expect(streams.map((s) => [s.codec_name, s.channels])).toEqual(TRACK_TONES.map(() => ['aac', 1]));
      for (let track = 0; track < TRACK_TONES.length; track++)
        expectOwnTone(await decodeTrack(proxy.file, track), track);

      expect(asset.derivatives.audio).toEqual(
        TRACK_TONES.map((_, i) => `/api/assets/${imported.id}/audio/${i + 1}`),
      );
      for (let track = 0; track < TRACK_TONES.length; track++) {
        const alone = await download(asset.derivatives.audio[track], `track-${track + 1}.m4a`);
        expect(alone).toMatchObject({ status: 200, type: 'audio/mp4' });
        expect(await audioStreams(alone.file)).toHaveLength(1);
        expectOwnTone(await decodeTrack(alone.file, 0), track);
      }
      // A track that is not there, and nonsense, look like nothing at all.
      for (const track of ['9', '0', '-1', '1e3', 'NaN', '01x', '%2e%2e'])
        expect(
          (await t.api('GET', `/api/assets/${imported.id}/audio/${track}`)).status,
          track,
        ).toBeGreaterThanOrEqual(400);
      expect((await t.api('GET', `/api/assets/${imported.id}/audio/9`)).status).toBe(404);

      const waveform = (await t.api('GET', asset.derivatives.waveform)).body;
      expect(waveform.tracks).toHaveLength(8);
      for (const peaks of waveform.tracks) {
        expect(peaks.length).toBe(waveform.peaks.length);
        // A sine of amplitude 1/8 on every track.
        expect(Math.max(...peaks)).toBeCloseTo(0.125, 2);
      }
    });

    it('downmixes 5.1 to stereo for the browser with every channel in it, the LFE too', async () => {
      const { t, download } = await dailies();
      const imported = await importFromDisk(t, '/Day 01', 'mix-5.1.wav', shootFixture('surroundTonesWav'));
      const asset = await settled(t, imported.id);
      expect(asset).toMatchObject({ state: 'ready', kind: 'audio', audioTracks: 1 });
      expect(asset.derivatives.audio).toEqual([]);
      const proxy = await download(asset.derivatives.proxy, 'proxy.m4a');
      expect((await audioStreams(proxy.file)).map((s) => s.channels)).toEqual([2]);
      // FL 300, FR 500, FC 700, LFE 100, BL 1300, BR 1900 Hz: each heard in the stereo mix.
      const levels = toneLevels(await decodeTrack(proxy.file, 0), 48000, [300, 500, 700, 100, 1300, 1900]);
      for (const [channel, level] of levels.entries())
        expect(level, `channel ${channel}: ${levels.map((l) => l.toFixed(4))}`).toBeGreaterThan(0.02);
    });
  });
}

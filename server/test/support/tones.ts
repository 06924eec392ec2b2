import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One audio stream of a file decoded to mono 32-bit float samples at `rate` (ffmpeg). */
export async function decodeTrack(file: string, track: number, rate = 48000): Promise<Float32Array> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-map',
      `0:a:${track}`,
      '-ac',
      '1',
      '-ar',
      String(rate),
      '-f',
      'f32le',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  const bytes = stdout as Buffer;
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length - (bytes.length % 4)),
  );
}

/**
 * The amplitude of each frequency in the middle second of `samples` (a single-bin DFT,
 * Goertzel's recurrence, Hann-windowed so neighbouring tones do not leak into one another).
 */
export function toneLevels(samples: Float32Array, rate: number, frequencies: number[]): number[] {
  const length = Math.min(rate, samples.length);
  const start = Math.max(0, Math.floor((samples.length - length) / 2));
  return frequencies.map((frequency) => {
    const w = (2 * Math.PI * frequency) / rate;
    const coefficient = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    let windowSum = 0;
    for (let n = 0; n < length; n++) {
      const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (length - 1));
      windowSum += hann;
      const s0 = samples[start + n] * hann + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
  });
}

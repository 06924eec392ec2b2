/**
 * Folds a stream of 32-bit float samples (mono, little-endian, as ffmpeg writes `f32le`)
 * into min/max pairs, one pair per `samplesPerPeak` samples. Chunks may split a sample.
 */
export class PeakAccumulator {
  readonly peaks: number[] = [];
  private carry = Buffer.alloc(0);
  private count = 0;
  private min = 1;
  private max = -1;
  samples = 0;

  constructor(readonly samplesPerPeak: number) {}

  push(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 4);
    for (let offset = 0; offset < whole; offset += 4) {
      const sample = bytes.readFloatLE(offset);
      if (sample < this.min) this.min = sample;
      if (sample > this.max) this.max = sample;
      if (++this.count === this.samplesPerPeak) this.flush();
    }
    this.samples += whole / 4;
    this.carry = Buffer.from(bytes.subarray(whole));
  }

  /** Closes the last, partial group. */
  finish(): number[] {
    if (this.count > 0) this.flush();
    return this.peaks;
  }

  private flush(): void {
    // Four decimals keep the JSON small and are finer than any screen draws.
    this.peaks.push(round(clamp(this.min)), round(clamp(this.max)));
    this.count = 0;
    this.min = 1;
    this.max = -1;
  }
}

const clamp = (value: number) => Math.max(-1, Math.min(1, value));
const round = (value: number) => Math.round(value * 10_000) / 10_000 || 0;

/**
 * The peaks of several tracks at once, from interleaved 32-bit float frames (one channel per
 * track, as ffmpeg's `amerge` writes them). Chunks may split a frame.
 */
export class TrackPeakAccumulator {
  readonly tracks: PeakAccumulator[];
  private carry = Buffer.alloc(0);

  constructor(
    readonly trackCount: number,
    readonly samplesPerPeak: number,
  ) {
    this.tracks = Array.from({ length: trackCount }, () => new PeakAccumulator(samplesPerPeak));
  }

  push(chunk: Buffer): void {
    const frame = 4 * this.trackCount;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % frame);
    const frames = whole / frame;
    // A copy, aligned for the typed array (little-endian, as is every machine Dailies runs on).
    const samples = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + whole));
    for (let t = 0; t < this.trackCount; t++) {
      const own = new Float32Array(frames);
      for (let f = 0; f < frames; f++) own[f] = samples[f * this.trackCount + t];
      this.tracks[t].push(Buffer.from(own.buffer));
    }
    this.carry = Buffer.from(bytes.subarray(whole));
  }

  get samples(): number {
    return this.tracks[0]?.samples ?? 0;
  }

  /** Each track's pairs, and all tracks together (the lowest minimum, the highest maximum). */
  finish(): { mixed: number[]; tracks: number[][] } {
    const tracks = this.tracks.map((t) => t.finish());
    const mixed = (tracks[0] ?? []).map((_, i) =>
      i % 2 === 0 ? Math.min(...tracks.map((t) => t[i])) : Math.max(...tracks.map((t) => t[i])),
    );
    return { mixed, tracks };
  }
}

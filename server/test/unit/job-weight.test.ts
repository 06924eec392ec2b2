import { describe, expect, it } from 'vitest';
import { lightSlotCount } from '../../src/adapters/queue/light-slots.js';
import { heavyMedia } from '../../src/features/processing/job-weight.js';
import { workOptions } from '../../src/jobs/work-options.js';

const general = {
  format: null,
  formatProfile: null,
  durationSeconds: null,
  sizeBytes: 1,
  overallBitrate: null,
  startTimecode: null,
};
const video = (width: number, height: number, rate: number, seconds: number) => ({
  kind: 'video' as const,
  general: { ...general, durationSeconds: seconds },
  video: [{ width, height, frameRateValue: rate, durationSeconds: seconds }] as never,
  audio: [],
  image: null,
});

describe('heavy media', () => {
  it('is a long or large clip, a huge still, hours of audio', () => {
    expect(heavyMedia(video(1920, 1080, 25, 60))).toBe(false);
    expect(heavyMedia(video(1920, 1080, 25, 600))).toBe(true);
    expect(heavyMedia(video(3840, 2160, 25, 120))).toBe(true);
    const still = (w: number, h: number) => ({
      kind: 'image' as const,
      general,
      video: [],
      audio: [],
      image: { width: w, height: h } as never,
    });
    expect(heavyMedia(still(12000, 12000))).toBe(true);
    expect(heavyMedia(still(6000, 4000))).toBe(false);
    const audio = (seconds: number, tracks: number) => ({
      kind: 'audio' as const,
      general: { ...general, durationSeconds: seconds },
      video: [],
      audio: Array.from({ length: tracks }) as never,
      image: null,
    });
    expect(heavyMedia(audio(600, 1))).toBe(false);
    expect(heavyMedia(audio(600, 8))).toBe(true);
  });

  it('is never heavy on nonsense numbers (NaN, negative, infinite) rather than throwing', () => {
    for (const odd of [Number.NaN, -1, Number.POSITIVE_INFINITY, 0]) {
      expect(heavyMedia(video(odd, 1080, 25, 600))).toBe(false);
      expect(heavyMedia(video(1920, 1080, 25, odd))).toBe(false);
    }
  });
});

describe('work options', () => {
  it('sizes media workers to the machine, keeps one light worker each, and takes what is configured', () => {
    const two = workOptions({}, 2);
    expect(two.concurrency).toMatchObject({ 'asset.probe': 2, 'asset.proxy': 2, 'asset.thumbnail': 2 });
    expect(two.lightSlots).toMatchObject({ 'asset.probe': 1, 'asset.proxy': 1 });
    const many = workOptions({}, 64);
    expect(many.concurrency).toMatchObject({ 'asset.probe': 8, 'asset.proxy': 8, 'asset.thumbnail': 4 });
    const configured = workOptions({ 'asset.proxy': 1, 'volume.copy': 3 }, 16);
    expect(configured.concurrency).toMatchObject({ 'asset.proxy': 1, 'volume.copy': 3 });
    expect(configured.lightSlots?.['asset.proxy']).toBeUndefined();
    for (const odd of [0, -4, Number.NaN]) expect(workOptions({}, odd).concurrency?.['asset.proxy']).toBe(2);
    expect(workOptions({}, 2).defaultConcurrency).toBe(1);
  });

  it('never keeps every worker of a name for light jobs', () => {
    expect(lightSlotCount(2, 1)).toBe(1);
    expect(lightSlotCount(1, 1)).toBe(0);
    expect(lightSlotCount(3, 9)).toBe(2);
    for (const odd of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(lightSlotCount(4, odd)).toBe(0);
  });
});

/**
 * Choosing the audio track a clip plays with. Browsers play only a file's first audio track
 * (Chromium has no `audioTracks`), so the proxy's track 1 plays from the video itself, and any
 * other track is soloed by muting the video and playing that track's own file (the server's
 * `/audio/<n>`) in step with it: play, pause, seek, rate and drift follow the picture.
 */
import { type RefObject, useEffect, useRef } from 'react';

/** Further than this apart (seconds), the track is put back where the picture is. */
const DRIFT_SECONDS = 0.12;

export function AudioTrackSelect({
  tracks,
  value,
  onChange,
}: {
  /** The links of the asset's tracks (`derivatives.audio`), in order. */
  tracks: string[];
  /** 0-based track heard now. */
  value: number;
  onChange: (track: number) => void;
}) {
  if (tracks.length < 2) return null;
  return (
    <select
      className="select--compact player__audio-track"
      aria-label="Audio track"
      data-testid="audio-track"
      value={value}
      onChange={(event) => onChange(Number(event.currentTarget.value))}
    >
      {tracks.map((link, i) => (
        <option key={link} value={i}>
          {`Track ${i + 1} of ${tracks.length}${i === 0 ? '' : ' (solo)'}`}
        </option>
      ))}
    </select>
  );
}

/**
 * Plays track `track` (0-based) of `tracks` in step with `video`; track 0 is the video's own
 * sound. Returns the element to render (hidden: the picture's controls drive it).
 */
export function useSoloTrack(video: RefObject<HTMLVideoElement | null>, tracks: string[], track: number) {
  const audio = useRef<HTMLAudioElement>(null);
  const solo = track > 0 && track < tracks.length ? tracks[track] : null;
  useEffect(() => {
    const v = video.current;
    const a = audio.current;
    if (!v) return;
    v.muted = solo !== null;
    if (!solo || !a) return;
    const follow = () => {
      a.playbackRate = v.playbackRate;
      if (Math.abs(a.currentTime - v.currentTime) > DRIFT_SECONDS) a.currentTime = v.currentTime;
      if (v.paused && !a.paused) a.pause();
      else if (!v.paused && a.paused) void a.play().catch(() => {});
    };
    follow();
    const events = ['play', 'pause', 'seeked', 'seeking', 'timeupdate', 'ratechange'] as const;
    for (const name of events) v.addEventListener(name, follow);
    return () => {
      for (const name of events) v.removeEventListener(name, follow);
      a.pause();
      v.muted = false;
    };
  }, [video, solo]);
  return solo ? (
    // biome-ignore lint/a11y/useMediaCaption: a soloed sound track of the picture above; it carries no speech track of its own.
    <audio ref={audio} src={solo} preload="auto" data-testid="solo-track" hidden />
  ) : null;
}

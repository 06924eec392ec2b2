/**
 * Audio you can see: the peaks drawn as bars, a playhead, and seeking by a click or the arrow
 * keys (it is a slider for assistive technology). Without `onSeek` it is a still picture (cards).
 */
import { type KeyboardEvent, type MouseEvent, useMemo } from 'react';
import { formatDuration } from '../../../lib/format';
import { downsample, type Waveform as Peaks } from '../api/get-waveform';
import './waveform.css';

const COLUMNS = 400;

export function Waveform({
  waveform,
  time,
  duration,
  onSeek,
  label,
  heard,
}: {
  waveform: Peaks;
  /** With several tracks drawn one under another: the one heard (0-based) stands out. */
  heard?: number;
  /** Seconds: where the playhead is. */
  time?: number;
  duration?: number;
  onSeek?: (seconds: number) => void;
  label: string;
}) {
  // Each track in a lane of its own when the server drew them; else all together.
  const lanes = useMemo(
    () =>
      (waveform.tracks && waveform.tracks.length > 1 ? waveform.tracks : [waveform.peaks]).map((peaks) =>
        downsample(peaks, COLUMNS),
      ),
    [waveform.peaks, waveform.tracks],
  );
  const columns = lanes[0]?.length ?? 1;
  const total = duration && Number.isFinite(duration) ? duration : waveform.durationSeconds;
  const at = time !== undefined && total > 0 ? Math.min(1, Math.max(0, time / total)) : null;
  // One filled shape per lane: along the maxima left to right, back along the minima (SVG's y
  // points down); lane i is centred at y = 2i.
  const shape = (bars: Array<[number, number]>, y: number) => {
    const top = bars.map(([, max], x) => `${x + 0.5} ${(y - Math.max(max, 0.01)).toFixed(3)}`);
    const bottom = bars.map(([min], x) => `${x + 0.5} ${(y - Math.min(min, -0.01)).toFixed(3)}`).reverse();
    return `M${top.join('L')}L${bottom.join('L')}Z`;
  };
  const several = lanes.length > 1;
  const picture = (
    <svg
      className="waveform__svg"
      viewBox={`0 -1 ${columns} ${2 * lanes.length}`}
      preserveAspectRatio="none"
      aria-hidden="true"
    >
      {lanes.map((bars, i) => (
        <path
          // biome-ignore lint/suspicious/noArrayIndexKey: lanes are the tracks, in their fixed order.
          key={i}
          className={`waveform__peaks ${several && heard === i ? 'waveform__peaks--heard' : ''}`}
          data-track={several ? i + 1 : undefined}
          d={shape(bars, 2 * i)}
        />
      ))}
      {at !== null && (
        <line
          className="waveform__playhead"
          x1={at * columns}
          x2={at * columns}
          y1={-1}
          y2={2 * lanes.length - 1}
          vectorEffect="non-scaling-stroke"
        />
      )}
    </svg>
  );
  if (!onSeek)
    return (
      <div className="waveform waveform--still" role="img" aria-label={label}>
        {picture}
      </div>
    );
  const seekTo = (seconds: number) => onSeek(Math.min(total, Math.max(0, seconds)));
  return (
    <div
      className="waveform"
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={Math.round(total)}
      aria-valuenow={Math.round(time ?? 0)}
      aria-valuetext={`${formatDuration(time ?? 0)} of ${formatDuration(total)}`}
      data-testid="waveform"
      onClick={(event: MouseEvent<HTMLDivElement>) => {
        const box = event.currentTarget.getBoundingClientRect();
        seekTo(((event.clientX - box.left) / box.width) * total);
      }}
      onKeyDown={(event: KeyboardEvent<HTMLDivElement>) => {
        const step = event.shiftKey ? 10 : 1;
        if (event.key === 'ArrowLeft') seekTo((time ?? 0) - step);
        else if (event.key === 'ArrowRight') seekTo((time ?? 0) + step);
        else if (event.key === 'Home') seekTo(0);
        else if (event.key === 'End') seekTo(total);
        else return;
        event.preventDefault();
        // The preview's own keys (frame steps) must not also act on this one.
        event.stopPropagation();
      }}
    >
      {picture}
    </div>
  );
}

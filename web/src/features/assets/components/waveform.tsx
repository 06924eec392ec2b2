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
}: {
  waveform: Peaks;
  /** Seconds: where the playhead is. */
  time?: number;
  duration?: number;
  onSeek?: (seconds: number) => void;
  label: string;
}) {
  const bars = useMemo(() => downsample(waveform.peaks, COLUMNS), [waveform.peaks]);
  const total = duration && Number.isFinite(duration) ? duration : waveform.durationSeconds;
  const at = time !== undefined && total > 0 ? Math.min(1, Math.max(0, time / total)) : null;
  // One filled shape: along the maxima left to right, back along the minima (SVG's y points down).
  const top = bars.map(([, max], x) => `${x + 0.5} ${(-Math.max(max, 0.01)).toFixed(3)}`);
  const bottom = bars.map(([min], x) => `${x + 0.5} ${(-Math.min(min, -0.01)).toFixed(3)}`).reverse();
  const path = `M${top.join('L')}L${bottom.join('L')}Z`;
  const picture = (
    <svg
      className="waveform__svg"
      viewBox={`0 -1 ${bars.length} 2`}
      preserveAspectRatio="none"
      aria-hidden="true"
    >
      <path className="waveform__peaks" d={path} />
      {at !== null && (
        <line
          className="waveform__playhead"
          x1={at * bars.length}
          x2={at * bars.length}
          y1={-1}
          y2={1}
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

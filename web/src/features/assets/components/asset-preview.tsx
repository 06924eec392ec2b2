/**
 * Preview: the proxy plays in a plain `<video>`, with source timecode, frame steps and the
 * technical metadata beside it. A failed asset shows why, with Retry.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { Spinner } from '../../../components/feedback';
import {
  IconDownload,
  IconPause,
  IconPlay,
  IconRetry,
  IconStepBack,
  IconStepForward,
  IconWarning,
} from '../../../components/icons';
import type { Asset } from '../../../lib/api-client';
import { formatDuration, framesToTimecode, parseFrameRate, timecodeToFrames } from '../../../lib/format';
import { useAsset } from '../api/get-asset';
import { useMetadata } from '../api/get-metadata';
import { useWaveform } from '../api/get-waveform';
import { AssetMetadata } from './asset-metadata';
import { KindIcon } from './asset-status';
import { AudioTrackSelect, useSoloTrack } from './audio-tracks';
import { Waveform } from './waveform';
import './asset-preview.css';

interface PreviewProps {
  assetId: string;
  onClose: () => void;
  onDownload: (asset: Asset) => void;
  /** Present once the server offers retry; asks it to process the asset again. */
  onRetry?: (asset: Asset) => Promise<unknown>;
  onPrevious?: () => void;
  onNext?: () => void;
}

export function AssetPreview({ assetId, onClose, onDownload, onRetry, onPrevious, onNext }: PreviewProps) {
  const { data: asset, isLoading, error } = useAsset(assetId);
  const probed = !!asset && (asset.state === 'ready' || asset.derivatives.metadata !== null);
  const metadataQuery = useMetadata(assetId, probed);
  const metadata = metadataQuery.data?.record ?? null;
  // Until the metadata is in, the source timecode is unknown (not 00:00:00:00).
  const startTimecode =
    probed && metadataQuery.isPending ? undefined : (metadata?.general.startTimecode ?? null);
  return (
    <Dialog title={asset?.name ?? 'Preview'} onClose={onClose} wide className="preview-dialog">
      {isLoading && (
        // The same frame as the loaded preview, so nothing jumps when the asset arrives.
        <div className="preview" aria-busy="true">
          <div className="preview__stage">
            <div className="player__screen preview__placeholder">
              <Spinner label="Loading the asset" />
            </div>
          </div>
          <div className="preview__side" />
        </div>
      )}
      {error && <p className="form__error">{(error as Error).message}</p>}
      {asset && (
        <div className="preview">
          <div className="preview__stage">
            <Stage
              asset={asset}
              startTimecode={startTimecode}
              onRetry={onRetry}
              onPrevious={onPrevious}
              onNext={onNext}
            />
          </div>
          <aside className="preview__side" aria-label="Technical metadata">
            <div className="preview__actions">
              <button type="button" className="button" onClick={() => onDownload(asset)}>
                <IconDownload /> Download
              </button>
            </div>
            {asset.warning && (
              <p className="preview__warning" role="note" data-testid="asset-warning">
                <IconWarning /> {asset.warning}
              </p>
            )}
            <AssetMetadata asset={asset} metadata={metadata} />
          </aside>
        </div>
      )}
    </Dialog>
  );
}

function Stage({
  asset,
  startTimecode,
  onRetry,
  onPrevious,
  onNext,
}: {
  asset: Asset;
  /** `undefined` while the metadata is loading. */
  startTimecode: string | null | undefined;
  onRetry?: (asset: Asset) => Promise<unknown>;
  onPrevious?: () => void;
  onNext?: () => void;
}) {
  const [retrying, setRetrying] = useState(false);
  if (asset.state === 'failed') {
    return (
      <div className="preview__failed" role="alert">
        <IconWarning size={28} />
        <div className="preview__failed-title">Processing failed</div>
        <div className="preview__failed-reason">{asset.stateReason ?? 'No reason was recorded.'}</div>
        {onRetry && (
          <button
            type="button"
            className="button button--primary"
            disabled={retrying}
            onClick={async () => {
              setRetrying(true);
              try {
                await onRetry(asset);
              } finally {
                setRetrying(false);
              }
            }}
          >
            <IconRetry /> {retrying ? 'Retrying…' : 'Retry processing'}
          </button>
        )}
      </div>
    );
  }
  if (asset.state !== 'ready') {
    return (
      <div className="preview__pending">
        <Spinner label="Processing" />
        <div>
          {asset.state === 'processing' ? 'Processing' : 'Waiting to be processed'}
          {asset.currentJob ? ` (${asset.currentJob})` : ''}… the preview appears when the proxy is ready.
        </div>
      </div>
    );
  }
  if (asset.kind === 'image') {
    return (
      <img
        className="preview__image"
        src={`/api/assets/${asset.id}/proxy`}
        alt={`Preview of ${asset.name}`}
      />
    );
  }
  return <Player asset={asset} startTimecode={startTimecode} onPrevious={onPrevious} onNext={onNext} />;
}

function Player({
  asset,
  startTimecode,
  onPrevious,
  onNext,
}: {
  asset: Asset;
  startTimecode: string | null | undefined;
  onPrevious?: () => void;
  onNext?: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(asset.duration ?? 0);
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState(false);
  const fps = parseFrameRate(asset.frameRate) ?? 25;
  const startFrames = timecodeToFrames(startTimecode, fps);
  const isAudio = asset.kind === 'audio';
  const tracks = asset.derivatives.audio ?? [];
  const [track, setTrack] = useState(0);
  const soloTrack = useSoloTrack(video, tracks, track);
  // Audio shows its waveform on the screen; a clip with several tracks shows each under it.
  const waveform =
    useWaveform(asset.id, (isAudio || tracks.length > 1) && asset.derivatives.waveform !== null).data ?? null;
  const seek = useCallback((seconds: number) => {
    if (video.current) video.current.currentTime = seconds;
    setTime(seconds);
  }, []);

  const step = useCallback(
    (frames: number) => {
      const v = video.current;
      if (!v) return;
      v.pause();
      // From the frame on screen (as the timecode counts it), landing mid-frame so rounding
      // in the decoder never shows the neighbour.
      const frame = Math.floor(v.currentTime * fps + 1e-6) + frames;
      v.currentTime = Math.max(0, Math.min(v.duration || Number.POSITIVE_INFINITY, (frame + 0.5) / fps));
    },
    [fps],
  );
  const toggle = useCallback(() => {
    const v = video.current;
    if (!v) return;
    if (v.paused) void v.play().catch(() => {});
    else v.pause();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement && event.target.type !== 'range') return;
      if (event.key === ' ' || event.key === 'k') toggle();
      else if (event.key === 'ArrowLeft' || event.key === ',') step(-1);
      else if (event.key === 'ArrowRight' || event.key === '.') step(1);
      else if (event.key === 'PageUp' && onPrevious) onPrevious();
      else if (event.key === 'PageDown' && onNext) onNext();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle, step, onPrevious, onNext]);

  let frame = 0;
  if (Number.isFinite(time)) frame = Math.floor(time * fps + 1e-6);
  const timecode = startTimecode === undefined ? '--:--:--:--' : framesToTimecode(startFrames + frame, fps);

  return (
    <div className="player">
      <div className={`player__screen ${isAudio ? 'player__screen--audio' : ''}`}>
        {waveform && isAudio && (
          <Waveform
            waveform={waveform}
            time={time}
            duration={duration}
            onSeek={seek}
            heard={track}
            label={`Waveform of ${asset.name}; click or use the arrow keys to seek`}
          />
        )}
        {failed ? (
          <div className="preview__pending">
            <KindIcon kind={asset.kind} format={asset.format} />
            <div>The proxy could not be played.</div>
          </div>
        ) : (
          // biome-ignore lint/a11y/useMediaCaption: proxies of camera footage carry no captions.
          <video
            ref={video}
            className={`player__video ${isAudio ? 'player__video--audio' : ''} ${waveform && isAudio ? 'player__video--behind' : ''}`}
            src={`/api/assets/${asset.id}/proxy`}
            preload="auto"
            autoPlay
            playsInline
            aria-label={`Proxy of ${asset.name}`}
            data-testid="preview-video"
            onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
            onSeeked={(e) => setTime(e.currentTarget.currentTime)}
            onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onError={() => setFailed(true)}
            onClick={toggle}
          />
        )}
        {soloTrack}
      </div>
      {waveform && !isAudio && (
        <div className="player__lanes">
          <Waveform
            waveform={waveform}
            time={time}
            duration={duration}
            onSeek={seek}
            heard={track}
            label={`Waveform of ${asset.name}, ${tracks.length} tracks; click or use the arrow keys to seek`}
          />
        </div>
      )}
      <div className="player__controls">
        <button type="button" className="icon-button" aria-label="Previous frame" onClick={() => step(-1)}>
          <IconStepBack />
        </button>
        <button
          type="button"
          className="icon-button icon-button--large"
          aria-label={playing ? 'Pause' : 'Play'}
          onClick={toggle}
        >
          {playing ? <IconPause /> : <IconPlay />}
        </button>
        <button type="button" className="icon-button" aria-label="Next frame" onClick={() => step(1)}>
          <IconStepForward />
        </button>
        <output className="player__timecode" aria-label="Timecode" data-testid="timecode">
          {timecode}
        </output>
        <input
          type="range"
          className="player__scrub"
          aria-label="Position"
          min={0}
          max={duration || 0}
          step={1 / fps}
          value={Math.min(time, duration || 0)}
          onChange={(e) => {
            if (video.current) video.current.currentTime = Number(e.currentTarget.value);
          }}
        />
        <span className="player__time mono">
          {formatDuration(time)} / {formatDuration(duration)}
        </span>
        <AudioTrackSelect tracks={tracks} value={track} onChange={setTrack} />
      </div>
    </div>
  );
}

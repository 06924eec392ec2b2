/**
 * Preview: the proxy plays in a plain `<video>`, with source timecode, frame steps, notes (as
 * markers on the timeline and a list under the player) and the technical metadata beside it.
 * A failed asset shows why, with Retry.
 */
import { type MutableRefObject, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
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
import {
  framesToSeconds,
  framesToSourceTimecode,
  parseRate,
  secondsToFrames,
  sourceTimecodeToFrames,
} from '../../../lib/timecode';
import { MhlBadge } from '../../mhl/components/mhl-badge';
import { useAsset } from '../api/get-asset';
import { useMetadata } from '../api/get-metadata';
import { useWaveform } from '../api/get-waveform';
import { type AssetNote, type NotesList, useNotes } from '../api/notes';
import { AssetMetadata } from './asset-metadata';
import { AssetNotes } from './asset-notes';
import { KindIcon } from './asset-status';
import { AudioTrackSelect, useSoloTrack } from './audio-tracks';
import { NoteMarkers } from './note-markers';
import { SequenceRate } from './sequence-rate';
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
  /** More beside the metadata (the logging fields), composed by the screen. */
  sidePanel?: (asset: Asset) => ReactNode;
}

export function AssetPreview({
  assetId,
  onClose,
  onDownload,
  onRetry,
  onPrevious,
  onNext,
  sidePanel,
}: PreviewProps) {
  const { data: asset, isLoading, error } = useAsset(assetId);
  const probed = !!asset && (asset.state === 'ready' || asset.derivatives.metadata !== null);
  const metadataQuery = useMetadata(assetId, probed);
  const metadata = metadataQuery.data?.record ?? null;
  // Until the metadata is in, the source timecode is unknown (not 00:00:00:00).
  const startTimecode =
    probed && metadataQuery.isPending ? undefined : (metadata?.general.startTimecode ?? null);
  const notesQuery = useNotes(assetId, !!asset);
  const notes = notesQuery.data;
  // The player reports the frame on screen and takes jumps from the notes.
  const [current, setCurrent] = useState<{ frame: number; timecode: string } | null>(null);
  const [selectedNote, setSelectedNote] = useState<string | null>(null);
  const seekTo = useRef<((seconds: number) => void) | null>(null);
  const jump = useCallback((note: AssetNote) => {
    setSelectedNote(note.id);
    if (note.frame === null) return;
    seekTo.current?.(note.seconds ?? 0);
  }, []);
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
              notes={notes}
              selectedNote={selectedNote}
              onJump={jump}
              onFrame={setCurrent}
              seekTo={seekTo}
            />
            <AssetNotes
              assetId={asset.id}
              notes={notes}
              current={asset.state === 'ready' && asset.kind === 'video' ? current : null}
              selected={selectedNote}
              onJump={jump}
            />
          </div>
          <aside className="preview__side" aria-label="Technical metadata">
            <div className="preview__actions">
              <button type="button" className="button" onClick={() => onDownload(asset)}>
                <IconDownload /> Download
              </button>
            </div>
            <MhlBadge assetId={asset.id} />
            {sidePanel?.(asset)}
            {asset.warning && (
              <p className="preview__warning" role="note" data-testid="asset-warning">
                <IconWarning /> {asset.warning}
              </p>
            )}
            {isSequence(metadata) && <SequenceRate assetId={asset.id} />}
            <AssetMetadata asset={asset} metadata={metadata} />
          </aside>
        </div>
      )}
    </Dialog>
  );
}

/** The probe describes an image sequence as one video whose format is `<frame format> sequence`. */
function isSequence(metadata: { general: { format?: string | null } } | null): boolean {
  return !!metadata?.general.format?.endsWith(' sequence');
}

interface NotesOnPlayer {
  notes: NotesList | undefined;
  selectedNote: string | null;
  onJump: (note: AssetNote) => void;
  /** The frame on screen, from the clip's first frame, and its source timecode. */
  onFrame: (current: { frame: number; timecode: string }) => void;
  /** Filled by the player: seeks to seconds from the clip's start. */
  seekTo: MutableRefObject<((seconds: number) => void) | null>;
}

function Stage({
  asset,
  startTimecode,
  onRetry,
  onPrevious,
  onNext,
  ...notes
}: {
  asset: Asset;
  /** `undefined` while the metadata is loading. */
  startTimecode: string | null | undefined;
  onRetry?: (asset: Asset) => Promise<unknown>;
  onPrevious?: () => void;
  onNext?: () => void;
} & NotesOnPlayer) {
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
  return (
    <Player asset={asset} startTimecode={startTimecode} onPrevious={onPrevious} onNext={onNext} {...notes} />
  );
}

function Player({
  asset,
  startTimecode,
  onPrevious,
  onNext,
  notes,
  selectedNote,
  onJump,
  onFrame,
  seekTo,
}: {
  asset: Asset;
  startTimecode: string | null | undefined;
  onPrevious?: () => void;
  onNext?: () => void;
} & NotesOnPlayer) {
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

  // With the server's timing (exact rate, drop-frame), frames are labelled as the bins label
  // them; until it is in, at the nominal rate.
  const timing = notes?.timing ?? null;
  const rate = timing ? parseRate(timing.rate) : null;
  const sourceStart = rate && timing ? (sourceTimecodeToFrames(timing.startTimecode, rate) ?? 0) : 0;
  let frame = 0;
  if (Number.isFinite(time)) frame = rate ? secondsToFrames(time, rate) : Math.floor(time * fps + 1e-6);
  const timecode =
    startTimecode === undefined
      ? '--:--:--:--'
      : rate && timing
        ? framesToSourceTimecode(sourceStart + frame, rate, timing.dropFrame)
        : framesToTimecode(startFrames + frame, fps);
  useEffect(() => {
    if (startTimecode !== undefined) onFrame({ frame, timecode });
  }, [frame, timecode, startTimecode, onFrame]);
  useEffect(() => {
    seekTo.current = (seconds: number) => {
      const v = video.current;
      if (!v) return;
      v.pause();
      // Mid-frame, so the decoder shows that frame and not its neighbour.
      const target = rate ? seconds + framesToSeconds(1, rate) / 2 : seconds;
      v.currentTime = target;
      setTime(target);
    };
    return () => {
      seekTo.current = null;
    };
  }, [seekTo, rate]);

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
        {/* The markers sit under the scrub bar, so a marker is where its frame is on the bar. */}
        <div className="player__track">
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
          {notes && (
            <NoteMarkers notes={notes.notes} duration={duration} selected={selectedNote} onJump={onJump} />
          )}
        </div>
        <span className="player__time mono">
          {formatDuration(time)} / {formatDuration(duration)}
        </span>
        <AudioTrackSelect tracks={tracks} value={track} onChange={setTrack} />
      </div>
    </div>
  );
}

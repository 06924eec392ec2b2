/**
 * The processing state machine, pure: which derivative jobs a probe plans, which run at once,
 * what state an asset goes to after a probe, a finished job or a failed attempt. No I/O here;
 * the job runners read the catalog, ask these functions and write what they answer.
 */
import { extensionOf } from '../../lib/paths.js';
import type { Asset, DerivativeKind } from '../../ports/catalog.js';
import type { TechnicalMetadata } from '../../ports/media.js';

export const DERIVATIVE_JOBS = [
  'asset.thumbnail',
  'asset.proxy',
  'asset.filmstrip',
  'asset.waveform',
] as const;
export type DerivativeJob = (typeof DERIVATIVE_JOBS)[number];
export type AssetJob = 'asset.probe' | DerivativeJob;

/** What an asset shows of its processing. */
export type AssetStatus = Pick<Asset, 'state' | 'currentJob' | 'stateReason'>;

/** What `current_job` shows while a job runs. */
export const LABEL: Record<AssetJob, string> = {
  'asset.probe': 'probe',
  'asset.thumbnail': 'thumbnail',
  'asset.proxy': 'proxy',
  'asset.filmstrip': 'filmstrip',
  'asset.waveform': 'waveform',
};

/** The derivatives each job makes; anything else an asset has is stale once it is re-planned. */
const MAKES: Record<DerivativeJob, DerivativeKind[]> = {
  'asset.thumbnail': ['thumbnail'],
  'asset.proxy': ['proxy'],
  'asset.filmstrip': ['filmstrip', 'filmstrip.vtt'],
  'asset.waveform': ['waveform'],
};

/**
 * What a job makes for this record. A video's proxy job decodes the original once for the
 * proxy, the thumbnail and the filmstrip (one ffmpeg run, its frames split three ways).
 */
export function makes(job: DerivativeJob, record: TechnicalMetadata): DerivativeKind[] {
  if (job === 'asset.proxy' && record.kind === 'video') {
    return ['proxy', 'thumbnail', ...(hasFilmstrip(record) ? MAKES['asset.filmstrip'] : [])];
  }
  return MAKES[job];
}

function hasFilmstrip(record: TechnicalMetadata): boolean {
  return (record.general.durationSeconds ?? record.video[0]?.durationSeconds ?? 0) > 0;
}

const ALL_KINDS: DerivativeKind[] = ['thumbnail', 'proxy', 'filmstrip', 'filmstrip.vtt', 'waveform'];

/**
 * Extensions that promise media: a file named like this that no tool can read is a failure to
 * show (a broken clip), not an `other` file that is simply ready.
 */
const MEDIA_EXTENSIONS = new Set(
  (
    'MOV MP4 M4V MXF AVI MKV WEBM MTS M2TS TS MPG MPEG R3D BRAW ARI CRM DV 3GP FLV WMV ' +
    'WAV MP3 AAC M4A AIF AIFF FLAC OGG OPUS BWF WMA ' +
    'PNG JPG JPEG TIF TIFF DPX EXR GIF BMP WEBP HEIC'
  ).split(' '),
);

/** The derivative jobs that fit what the probe found. */
export function planFor(record: TechnicalMetadata): DerivativeJob[] {
  switch (record.kind) {
    case 'video':
      // The proxy job makes the thumbnail and the filmstrip too (`makes`).
      return ['asset.proxy', ...(record.audio.length > 0 ? (['asset.waveform'] as const) : [])];
    case 'audio':
      return ['asset.thumbnail', 'asset.proxy', 'asset.waveform'];
    case 'image':
      return ['asset.thumbnail', 'asset.proxy'];
    default:
      return [];
  }
}

/** What a probe decided: the tasks to record, the state, the jobs to start and the kinds now stale. */
export interface ProbeOutcome {
  tasks: DerivativeJob[];
  status: AssetStatus;
  start: DerivativeJob[];
  stale: DerivativeKind[];
}

/**
 * After a probe: a file no tool can read fails when its name promises media and is ready when
 * it does not; anything else is processing with its derivative jobs. The filmstrip is cut from
 * the proxy, so it starts when the proxy is done (`afterDerivativeDone`).
 */
export function afterProbe(name: string, record: TechnicalMetadata): ProbeOutcome {
  const plan = planFor(record);
  const unreadable = plan.length === 0 ? unreadableReason(name, record) : null;
  const keep = new Set(plan.flatMap((job) => makes(job, record)));
  return {
    tasks: unreadable ? [] : plan,
    status: {
      state: unreadable ? 'failed' : plan.length > 0 ? 'processing' : 'ready',
      stateReason: unreadable,
      currentJob: null,
    },
    start: unreadable
      ? []
      : plan.filter((job) => !(job === 'asset.filmstrip' && plan.includes('asset.proxy'))),
    stale: ALL_KINDS.filter((kind) => !keep.has(kind)),
  };
}

/** The jobs a finished derivative job lets start: the filmstrip waits for the proxy. */
export function afterDerivativeDone(job: DerivativeJob, plannedJobs: string[]): DerivativeJob[] {
  return job === 'asset.proxy' && plannedJobs.includes('asset.filmstrip') ? ['asset.filmstrip'] : [];
}

/** Why a file named like media is not `other` but broken; null for a plain `other` file. */
export function unreadableReason(name: string, record: TechnicalMetadata): string | null {
  const extension = extensionOf(name);
  if (!MEDIA_EXTENSIONS.has(extension)) return null;
  if (record.general.sizeBytes === 0)
    return `Probe: the file is empty, so this .${extension.toLowerCase()} holds no media.`;
  return `Probe: the file is named .${extension.toLowerCase()} but no video, audio or picture could be read from it; it may be damaged or not media at all.`;
}

/** A failed attempt of a job, as the queue reports it. */
export interface FailedAttempt {
  job: AssetJob;
  attempt: number;
  maxAttempts: number;
  message: string;
  /** A tool read the file and said no: the same file would fail the same way again. */
  deterministic: boolean;
}

/**
 * What a failed attempt does. On the last attempt, or a deterministic failure (which also
 * ends the job at once: `final`), the asset shows the reason; before that, the reason says
 * another attempt follows. A probe sets the asset's state itself; a derivative job sets its
 * task, and the asset's state follows from all tasks (`stateFromTasks`).
 */
export function afterFailedAttempt(failure: FailedAttempt): {
  final: boolean;
  probe: AssetStatus | null;
  task: { state: 'failed' | 'queued'; reason: string } | null;
} {
  const reason = `${capitalise(LABEL[failure.job])}: ${failure.message}`;
  const last = failure.deterministic || failure.attempt >= failure.maxAttempts;
  if (failure.job === 'asset.probe') {
    return {
      final: failure.deterministic,
      probe: {
        state: last ? 'failed' : 'processing',
        currentJob: last ? null : 'probe',
        stateReason: last
          ? reason
          : `${reason} (attempt ${failure.attempt} of ${failure.maxAttempts}; trying again)`,
      },
      task: null,
    };
  }
  return { final: failure.deterministic, probe: null, task: { state: last ? 'failed' : 'queued', reason } };
}

/** The asset's state from its derivative tasks: a failure wins, then work still open, else ready. */
export function stateFromTasks(
  tasks: Array<{ job: string; state: string; error: string | null }>,
): AssetStatus {
  const failed = tasks.find((t) => t.state === 'failed');
  const running = tasks.find((t) => t.state === 'running');
  const open = tasks.some((t) => t.state === 'queued' || t.state === 'running');
  if (failed) return { state: 'failed', currentJob: null, stateReason: failed.error };
  if (!open) return { state: 'ready', currentJob: null, stateReason: null };
  const retrying = tasks.find((t) => t.error !== null);
  return {
    state: 'processing',
    currentJob: running ? LABEL[running.job as AssetJob] : null,
    stateReason: retrying ? `${retrying.error} (trying again)` : null,
  };
}

/**
 * The columns the list and search show. `format` stays the file's format by name (MOV, MXF), as
 * MAPS shows it and as search filters it; the container as the tools read it is in the metadata.
 */
export function summaryOf(record: TechnicalMetadata): Partial<Asset> {
  const video = record.video[0];
  return {
    kind: record.kind,
    duration: record.kind === 'image' ? null : (record.general.durationSeconds ?? null),
    // As shown: a portrait phone clip is listed, searched and faceted 1080×1920.
    width:
      (video ? (video.displayWidth ?? video.width) : (record.image?.displayWidth ?? record.image?.width)) ??
      null,
    height:
      (video
        ? (video.displayHeight ?? video.height)
        : (record.image?.displayHeight ?? record.image?.height)) ?? null,
    frameRate: video?.frameRate ?? null,
    videoCodec: video?.codec ?? null,
    audioCodec: record.audio[0]?.codec ?? null,
    audioTracks: record.kind === 'video' || record.kind === 'audio' ? record.audio.length : null,
    startTimecode: record.general.startTimecode ?? null,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

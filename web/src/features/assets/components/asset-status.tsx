import { LocationChips } from '../../../components/location-chips';
import type { Asset } from '../../../lib/api-client';
import './asset-status.css';

const STATE_LABEL: Record<string, string> = {
  pending: 'Pending',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

/** Processing state and where the asset is (chips `lake` `Edit`: MAPS's `S3`, `S3_FSX`), as one cell. */
export function AssetStatus({
  asset,
  where = true,
}: {
  asset: Pick<Asset, 'state' | 'stateReason' | 'currentJob' | 'locations'>;
  /** Say where it is too (not when a location column beside it does). */
  where?: boolean;
}) {
  const label = STATE_LABEL[asset.state] ?? asset.state;
  const detail =
    asset.state === 'failed'
      ? (asset.stateReason ?? 'Processing failed')
      : asset.state === 'processing' && asset.currentJob
        ? `Running: ${asset.currentJob}`
        : undefined;
  return (
    <span className="status" title={detail} data-testid="asset-status">
      <span className={`status__dot status__dot--${asset.state}`} aria-hidden="true" />
      <span className="status__state">{label}</span>
      {where && (
        <span className="status__where">
          <LocationChips locations={asset.locations} />
        </span>
      )}
    </span>
  );
}

/** Video, audio, image or other: a CSS mask (`.kind-icon` in asset-status.css says why not an <svg>). */
export function KindIcon({ kind, format }: { kind: string | null; format: string }) {
  const k = kind ?? guessKind(format);
  const shape = k === 'video' || k === 'audio' || k === 'image' ? k : 'other';
  return <span className={`kind-icon kind-icon--${shape}`} aria-hidden="true" />;
}

const VIDEO = new Set([
  'MOV',
  'MP4',
  'MXF',
  'AVI',
  'MKV',
  'M4V',
  'R3D',
  'BRAW',
  'ARI',
  'MTS',
  'WEBM',
  'QUICKTIME',
]);
const AUDIO = new Set(['WAV', 'AIF', 'AIFF', 'MP3', 'AAC', 'M4A', 'FLAC', 'BWF']);
const IMAGE = new Set(['PNG', 'JPG', 'JPEG', 'TIF', 'TIFF', 'DPX', 'EXR', 'GIF', 'WEBP']);

function guessKind(format: string): string {
  const f = format.toUpperCase();
  if (VIDEO.has(f)) return 'video';
  if (AUDIO.has(f)) return 'audio';
  if (IMAGE.has(f)) return 'image';
  return 'other';
}

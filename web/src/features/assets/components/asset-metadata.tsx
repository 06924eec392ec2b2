/** The technical metadata beside the preview: the asset's summary, then per-stream detail once probed. */
import type { ReactNode } from 'react';
import type { Asset } from '../../../lib/api-client';
import { formatBytes, formatCount, formatDate, formatDuration, formatFrameRate } from '../../../lib/format';
import { formatLocations, useVolumeName } from '../../../lib/volume-names';
import type { useMetadata } from '../api/get-metadata';

function Row({ label, value, mono }: { label: string; value: ReactNode; mono?: boolean }) {
  const empty = value === null || value === undefined || value === '';
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono && !empty ? 'mono' : undefined}>{empty ? '—' : value}</dd>
    </>
  );
}

export type MetadataRecord = NonNullable<ReturnType<typeof useMetadata>['data']>['record'];

export function AssetMetadata({ asset, metadata }: { asset: Asset; metadata: MetadataRecord | null }) {
  const volumeName = useVolumeName();
  const video = metadata?.video[0];
  // As shown (turned, square pixels), with its aspect ratio; the coded size when it differs.
  const shown = asset.width && asset.height ? `${asset.width} × ${asset.height}` : null;
  const coded =
    video && (video.width !== asset.width || video.height !== asset.height)
      ? `stored ${video.width} × ${video.height}${video.rotation ? `, turned ${video.rotation}°` : ''}`
      : null;
  const resolution = shown ? [shown, video?.displayAspectRatio, coded].filter(Boolean).join(' · ') : null;
  const startTimecode = metadata?.general.startTimecode ?? null;
  const audio = metadata?.audio ?? [];
  return (
    <dl className="metadata">
      <Row label="Name" value={asset.name} />
      <Row label="Folder" value={asset.folder} />
      <Row label="Asset ID" value={asset.id} mono />
      <Row label="Status" value={`${asset.state} · ${formatLocations(asset.locations, volumeName)}`} />
      {asset.stateReason && <Row label="Reason" value={asset.stateReason} />}
      {metadata?.probeFailure && <Row label="Probe" value={metadata.probeFailure} />}
      <Row label="Format" value={asset.format} />
      <Row label="Kind" value={asset.kind} />
      <Row label="Size" value={`${formatBytes(asset.size)} (${formatCount(asset.size)} bytes)`} />
      <Row label="Duration" value={asset.duration === null ? null : formatDuration(asset.duration)} />
      <Row label="Start timecode" value={startTimecode} mono />
      <Row label="Resolution" value={resolution} />
      <Row
        label="Frame rate"
        value={asset.frameRate ? `${formatFrameRate(asset.frameRate)} (${asset.frameRate})` : null}
      />
      <Row label="Video codec" value={[asset.videoCodec, video?.profile].filter(Boolean).join(' · ')} />
      {video && (
        <>
          <Row label="Scan" value={[video.scanType, video.fieldOrder].filter(Boolean).join(' · ')} />
          <Row label="Bit depth" value={video.bitDepth ? `${video.bitDepth} bit` : null} />
          <Row label="Chroma" value={video.chromaSubsampling} />
          <Row
            label="Colour"
            value={[video.colourPrimaries, video.colourTransfer, video.colourMatrix]
              .filter(Boolean)
              .join(' / ')}
          />
        </>
      )}
      <Row label="Audio codec" value={asset.audioCodec} />
      <Row label="Audio tracks" value={asset.audioTracks} />
      {audio.map((a, position) => (
        <Row
          key={a.index}
          // Tracks count from 1, as "Audio tracks" does (the stream index would start anywhere).
          label={`Audio ${position + 1}`}
          value={[
            a.codec,
            a.channels ? `${a.channels} ch${a.channelLayout ? ` (${a.channelLayout})` : ''}` : null,
            a.sampleRate ? `${a.sampleRate / 1000} kHz` : null,
            a.bitDepth ? `${a.bitDepth} bit` : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        />
      ))}
      <Row label="xxHash64" value={asset.checksums.xxh64} mono />
      <Row label="MD5" value={asset.checksums.md5} mono />
      <Row label="Uploaded by" value={asset.uploadedBy} />
      <Row label="Created" value={formatDate(asset.createdAt)} />
      <Row label="Modified" value={formatDate(asset.modifiedAt)} />
    </dl>
  );
}

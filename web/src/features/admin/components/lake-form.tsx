import { useId } from 'react';
import { TextField } from '../../../components/text-field';
import { FieldError } from './field-error';

/** The lake as edited: both kinds' fields are kept, so switching back and forth loses nothing. */
export interface LakeDraft {
  kind: 'fs' | 's3';
  path: string;
  bucket: string;
  prefix: string;
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  /** Empty keeps the secret in use. */
  secretAccessKey: string;
  secretSet: boolean;
}

/** Directory on the server, or an S3 bucket; each field shows the server's message about it. */
export function LakeForm({
  draft,
  onChange,
  errors,
}: {
  draft: LakeDraft;
  onChange: (next: LakeDraft) => void;
  /** By field: `lake.path`, `lake.bucket`, … and `lake` for the lake as a whole. */
  errors: Record<string, string>;
}) {
  const id = useId();
  const set = <K extends keyof LakeDraft>(key: K, value: LakeDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const text = (key: keyof LakeDraft & string, label: string, hint?: string, type = 'text') => (
    <TextField
      label={label}
      type={type}
      value={draft[key] as string}
      onChange={(value) => set(key, value as never)}
      autoComplete="off"
      spellCheck={false}
      hint={hint}
      error={errors[`lake.${key}`]}
    />
  );
  return (
    <fieldset className="settings__group">
      <legend className="settings__legend">Content lake</legend>
      <div className="settings__choice" role="radiogroup" aria-label="Where the lake is">
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={draft.kind === 'fs'}
            onChange={() => set('kind', 'fs')}
          />
          <span>Directory on the server</span>
        </label>
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-kind`}
            checked={draft.kind === 's3'}
            onChange={() => set('kind', 's3')}
          />
          <span>S3 bucket</span>
        </label>
      </div>
      {draft.kind === 'fs' ? (
        text('path', 'Directory', 'An absolute path on the server, e.g. /srv/lake. It must exist.')
      ) : (
        <>
          {text('bucket', 'Bucket')}
          {text('prefix', 'Prefix (optional)', 'Only objects under this prefix are the lake.')}
          {text('endpoint', 'Endpoint (empty for AWS)', 'e.g. https://minio.example.com:9000')}
          {text('region', 'Region')}
          <label className="checklist__item">
            <input
              type="checkbox"
              checked={draft.forcePathStyle}
              onChange={(e) => set('forcePathStyle', e.target.checked)}
            />
            <span>Path-style addresses (MinIO, Ceph, Swift)</span>
          </label>
          {text('accessKeyId', 'Access key id (empty: the server’s own credentials)')}
          {text(
            'secretAccessKey',
            'Secret access key',
            draft.secretSet ? 'A secret is set; leave this empty to keep it.' : undefined,
            'password',
          )}
        </>
      )}
      <FieldError id={`${id}-lake-error`} message={errors.lake} />
      <p className="form__hint">
        Changing the lake re-indexes it: what the new lake holds becomes the catalog, and assets that are not
        in it leave the catalog.
      </p>
    </fieldset>
  );
}

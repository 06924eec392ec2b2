import { useEffect, useId, useRef, useState } from 'react';
import { Skeleton, Spinner } from '../../../components/feedback';
import { dismissToast, showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { type Settings, useSettings, type VolumeSettings } from '../api/get-settings';
import { type SettingsUpdate, useSaveSettings } from '../api/save-settings';
import { fieldOf } from './field-error';
import { type LakeDraft, LakeForm } from './lake-form';
import { VolumesEditor } from './volumes-editor';
import './settings.css';

/**
 * The deployment's settings: which lake it uses and the edit volumes. The server checks them on
 * Save (trims names, reaches the lake, writes a test file) and says which field is wrong.
 */
export function SettingsPanel() {
  const settings = useSettings();
  const save = useSaveSettings();
  const [lake, setLake] = useState<LakeDraft | null>(null);
  const [volumes, setVolumes] = useState<VolumeSettings[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Save sits in the panel's head, above the form, where no toast covers it.
  const formId = useId();
  // A refusal's toast stays until dismissed; the next attempt makes it stale.
  const errorToast = useRef<number | null>(null);

  // The form starts from what is in effect, and again after each save (names come back trimmed).
  const loaded = settings.data;
  useEffect(() => {
    if (!loaded) return;
    setLake(draftOf(loaded.lake));
    setVolumes(loaded.volumes);
  }, [loaded]);

  if (!loaded || !lake)
    return (
      <section className="panel" aria-busy="true">
        <Skeleton width="40%" />
      </section>
    );

  const update: SettingsUpdate = {};
  if (JSON.stringify(draftOf(loaded.lake)) !== JSON.stringify(lake)) update.lake = lakeBody(lake);
  if (JSON.stringify(loaded.volumes) !== JSON.stringify(volumes)) update.volumes = volumes;
  const dirty = update.lake !== undefined || update.volumes !== undefined;

  return (
    <section className="panel" aria-labelledby="settings-title">
      <div className="panel__head">
        <h2 id="settings-title" className="panel__title">
          Settings
        </h2>
        <div className="settings__actions">
          <button
            type="submit"
            form={formId}
            className="button button--primary"
            disabled={!dirty || save.isPending}
          >
            {save.isPending ? <Spinner label="Saving" /> : null}
            {save.isPending ? 'Checking and saving…' : 'Save'}
          </button>
          {dirty && !save.isPending && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setLake(draftOf(loaded.lake));
                setVolumes(loaded.volumes);
                setErrors({});
              }}
            >
              Discard changes
            </button>
          )}
          <p className="form__hint">{savedNote(loaded)}</p>
        </div>
      </div>
      <form
        id={formId}
        className="form settings"
        onSubmit={async (event) => {
          event.preventDefault();
          if (event.target !== event.currentTarget || save.isPending || !dirty) return;
          setErrors({});
          if (errorToast.current !== null) dismissToast(errorToast.current);
          errorToast.current = null;
          try {
            await save.mutateAsync(update);
            showToast('success', 'Settings saved', {
              detail: update.lake ? 'The new lake is being indexed.' : undefined,
            });
          } catch (error) {
            const message = (error as Error).message;
            const field = fieldOf(error);
            if (field) setErrors({ [field]: message });
            errorToast.current = showToast('error', 'Settings not saved', { detail: message });
          }
        }}
      >
        <LakeForm draft={lake} onChange={setLake} errors={errors} />
      </form>
      {/* Outside the form: the volume dialog holds a form of its own, and forms do not nest. */}
      <div className="form settings">
        <VolumesEditor volumes={volumes} onChange={setVolumes} errors={errors} />
      </div>
    </section>
  );
}

function draftOf(lake: Settings['lake']): LakeDraft {
  const empty = {
    path: '',
    bucket: '',
    prefix: '',
    endpoint: '',
    region: 'us-east-1',
    forcePathStyle: false,
    accessKeyId: '',
    secretAccessKey: '',
    secretSet: false,
  };
  if (lake.kind === 'fs') return { ...empty, kind: 'fs', path: lake.path };
  return {
    ...empty,
    kind: 's3',
    bucket: lake.bucket,
    prefix: lake.prefix,
    endpoint: lake.endpoint ?? '',
    region: lake.region,
    forcePathStyle: lake.forcePathStyle,
    accessKeyId: lake.accessKeyId ?? '',
    secretSet: lake.secretSet,
  };
}

/** As typed: the server trims and checks. */
function lakeBody(draft: LakeDraft): NonNullable<SettingsUpdate['lake']> {
  if (draft.kind === 'fs') return { kind: 'fs', path: draft.path };
  return {
    kind: 's3',
    bucket: draft.bucket,
    prefix: draft.prefix,
    endpoint: draft.endpoint,
    region: draft.region,
    forcePathStyle: draft.forcePathStyle,
    accessKeyId: draft.accessKeyId,
    ...(draft.secretAccessKey ? { secretAccessKey: draft.secretAccessKey } : {}),
  };
}

function savedNote(settings: Settings): string {
  if (!settings.saved.lake && !settings.saved.volumes)
    return 'In effect from the server’s configuration (DAILIES_LAKE, DAILIES_VOLUMES); saving here overrides it.';
  const when = settings.updatedAt ? formatDate(settings.updatedAt) : '';
  return `Last saved${settings.updatedBy ? ` by ${settings.updatedBy}` : ''}${when ? ` on ${when}` : ''}.`;
}

import { useEffect, useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import type { Folder } from '../../../lib/api-client';
import { type BurnIn, useClearFolderLook, useFolderLook, useSetFolderLook } from '../api/folder-look';

/** The largest `.cube` the server takes; refused here before it is read. */
const CUBE_MAX_BYTES = 16 * 1024 * 1024;

type LutChoice = 'keep' | 'none' | 'file';

/**
 * A folder's "Look" (admins): a LUT (`.cube`, 1D or 3D) and a burn-in (clip name, source
 * timecode, frame counter) for the proxies and thumbnails of everything in it, folders below
 * included unless they set their own. Saving re-makes the derivatives the change reaches;
 * "Inherit" removes the folder's own look.
 */
export function LookDialog(props: { folder: Folder; onClose: () => void }) {
  const { folder } = props;
  const look = useFolderLook(folder.path);
  const save = useSetFolderLook(folder.path);
  const clear = useClearFolderLook(folder.path);
  const id = useId();
  const own = look.data?.own ?? null;
  const effective = look.data?.effective ?? null;
  const [lutChoice, setLutChoice] = useState<LutChoice>('keep');
  const [file, setFile] = useState<File | null>(null);
  const [burnIn, setBurnIn] = useState<BurnIn>({ clipName: false, timecode: false, frameCounter: false });
  const [loaded, setLoaded] = useState(false);

  // The form starts from what the folder's assets get now.
  useEffect(() => {
    if (loaded || !look.data) return;
    setBurnIn(look.data.own?.burnIn ?? look.data.effective?.burnIn ?? burnIn);
    setLutChoice(look.data.own?.lut ? 'keep' : 'none');
    setLoaded(true);
  }, [look.data, loaded, burnIn]);

  const submit = async () => {
    let lut: { name: string; cube: string } | null | undefined;
    if (lutChoice === 'none') lut = null;
    else if (lutChoice === 'file') {
      if (!file) throw new Error('Choose a .cube file, or keep the current LUT.');
      if (file.size > CUBE_MAX_BYTES) throw new Error('The LUT is larger than 16 MiB.');
      lut = { name: file.name, cube: await file.text() };
    }
    await save.mutateAsync({ lut, burnIn });
  };

  const toggle = (key: keyof BurnIn) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setBurnIn({ ...burnIn, [key]: event.target.checked });

  return (
    <FormDialog
      title={`Look for ${folder.name}`}
      submitLabel="Save and re-make"
      onClose={props.onClose}
      onSubmit={submit}
    >
      <section className="look-now" aria-labelledby={`${id}-now`}>
        <div id={`${id}-now`}>
          {look.isPending ? (
            'Loading…'
          ) : effective ? (
            <>
              Now: <strong>{effective.lut ? effective.lut.name : 'no LUT'}</strong>
              {burnInWords(effective.burnIn)}
              {effective.from === folder.path ? (
                ' (set on this folder)'
              ) : (
                <>
                  {' '}
                  (from <span className="mono">{effective.from}</span>)
                </>
              )}
            </>
          ) : (
            'Now: no look; proxies and thumbnails show the footage as it is.'
          )}
        </div>
      </section>
      <p className="form__hint">
        Applied to the proxies and thumbnails of everything in this folder and the folders inside it, unless
        one sets its own. Saving makes them again.
      </p>
      <fieldset className="checklist">
        <legend className="form__label">LUT</legend>
        {own?.lut && (
          <label className="checklist__item">
            <input
              type="radio"
              name={`${id}-lut`}
              checked={lutChoice === 'keep'}
              onChange={() => setLutChoice('keep')}
            />
            <span>
              Keep <span className="mono">{own.lut.name}</span>{' '}
              <span className="muted">
                ({own.lut.dimensions}D, {own.lut.size} points)
              </span>
            </span>
          </label>
        )}
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-lut`}
            checked={lutChoice === 'none'}
            onChange={() => setLutChoice('none')}
          />
          <span>No LUT</span>
        </label>
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-lut`}
            checked={lutChoice === 'file'}
            onChange={() => setLutChoice('file')}
          />
          <span>Upload a .cube file (1D or 3D)</span>
        </label>
        <input
          type="file"
          accept=".cube"
          aria-label="LUT file (.cube)"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setLutChoice('file');
          }}
        />
      </fieldset>
      <fieldset className="checklist">
        <legend className="form__label">Burn-in</legend>
        <label className="checklist__item">
          <input type="checkbox" checked={burnIn.clipName} onChange={toggle('clipName')} />
          <span>Clip name</span>
        </label>
        <label className="checklist__item">
          <input type="checkbox" checked={burnIn.timecode} onChange={toggle('timecode')} />
          <span>Source timecode</span>
        </label>
        <label className="checklist__item">
          <input type="checkbox" checked={burnIn.frameCounter} onChange={toggle('frameCounter')} />
          <span>Frame counter</span>
        </label>
      </fieldset>
      {own && (
        <p className="form__hint">
          <button
            type="button"
            className="button button--small"
            disabled={clear.isPending}
            onClick={async () => {
              await clear.mutateAsync();
              props.onClose();
            }}
          >
            Inherit from the folder above instead
          </button>
        </p>
      )}
      <p className="form__hint mono">{folder.path}</p>
    </FormDialog>
  );
}

function burnInWords(burnIn: BurnIn): string {
  const parts = [
    burnIn.clipName ? 'clip name' : null,
    burnIn.timecode ? 'timecode' : null,
    burnIn.frameCounter ? 'frame counter' : null,
  ].filter(Boolean);
  return parts.length > 0 ? `, burn-in: ${parts.join(', ')}` : ', no burn-in';
}

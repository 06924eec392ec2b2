import { useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import { IconFolderPlus } from '../../../components/icons';
import { ApiError } from '../../../lib/api-client';
import { joinPath, nameProblem } from '../../../lib/paths';
import { useCreateFolder } from '../api/create-folder';
import { FolderTree } from './folder-tree';

/** "Move to Folder": pick a destination in the tree, or make a new one inside the chosen folder. */
export function FolderPickerDialog(props: {
  title: string;
  submitLabel: string;
  initial: string;
  /** Folders that cannot be chosen (the one the items are already in). */
  disabled?: (path: string) => boolean;
  onPick: (path: string) => Promise<unknown>;
  onClose: () => void;
  children?: React.ReactNode;
}) {
  const [path, setPath] = useState(props.initial);
  // Branches to open: a folder just made is revealed and chosen.
  const [reveal, setReveal] = useState(props.initial);
  const disabled = props.disabled?.(path) ?? false;
  return (
    <FormDialog
      title={props.title}
      submitLabel={props.submitLabel}
      onClose={props.onClose}
      onSubmit={() => props.onPick(path)}
      disabled={disabled}
    >
      {props.children}
      <div className="picker">
        <FolderTree label="Destination folder" selected={path} onSelect={setPath} reveal={reveal} />
      </div>
      <NewFolderRow
        inside={path}
        onCreated={(created) => {
          setPath(created);
          setReveal(created);
        }}
      />
      <p className="form__hint">
        Destination: <strong className="mono">{path}</strong>
        {disabled && ' (the items are already there)'}
      </p>
    </FormDialog>
  );
}

/**
 * "New folder" inside the chosen one, without leaving the picker. It sits in the picker's form,
 * so Enter here makes the folder rather than submitting the move.
 */
function NewFolderRow({ inside, onCreated }: { inside: string; onCreated: (path: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateFolder();
  const inputId = useId();
  const errorId = useId();

  const submit = async () => {
    const problem = nameProblem(name, 'folder');
    if (problem) {
      setError(problem);
      return;
    }
    const target = joinPath(inside, name.trim());
    try {
      const folder = await create.mutateAsync(target);
      setName('');
      setOpen(false);
      setError(null);
      onCreated(folder.path);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : (caught as Error).message);
    }
  };

  if (!open)
    return (
      <button type="button" className="button button--small picker__new" onClick={() => setOpen(true)}>
        <IconFolderPlus size={14} /> New folder
      </button>
    );
  return (
    <div className="picker__new-form">
      <label htmlFor={inputId} className="form__label">
        New folder in <span className="mono">{inside}</span>
      </label>
      <div className="picker__new-row">
        <input
          id={inputId}
          className="input"
          value={name}
          // biome-ignore lint/a11y/noAutofocus: the person just asked for this field.
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setName(event.target.value);
            setError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void submit();
            } else if (event.key === 'Escape') {
              // Closes this row, not the whole dialog.
              event.preventDefault();
              event.stopPropagation();
              setOpen(false);
            }
          }}
        />
        <button
          type="button"
          className="button button--small"
          disabled={create.isPending}
          onClick={() => void submit()}
        >
          Create folder
        </button>
        <button type="button" className="button button--small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {error && (
        <p id={errorId} className="form__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

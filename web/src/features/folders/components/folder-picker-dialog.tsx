import { useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import { FolderTree } from './folder-tree';

/** "Move to Folder": pick a destination in the tree. */
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
        <FolderTree label="Destination folder" selected={path} onSelect={setPath} reveal={props.initial} />
      </div>
      <p className="form__hint">
        Destination: <strong className="mono">{path}</strong>
        {disabled && ' (the items are already there)'}
      </p>
    </FormDialog>
  );
}

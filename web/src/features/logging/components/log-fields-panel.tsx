/** Admin → Logging fields: the deployment's own fields beside camera, reel, scene and take. */
import { useId, useState } from 'react';
import { ConfirmDialog, FormDialog } from '../../../components/dialog';
import { Skeleton } from '../../../components/feedback';
import { IconEdit, IconTrash } from '../../../components/icons';
import { TextField } from '../../../components/text-field';
import { showToast } from '../../../components/toasts';
import { type LogField, useLogFields } from '../api/log-fields';
import { type NewLogField, useCreateLogField, useDeleteLogField } from '../api/manage-log-fields';

const KINDS: Array<[NewLogField['kind'], string]> = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['choice', 'Choice'],
];

/** A key from a label: `T-stop` → `t_stop`. */
function keyOf(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '');
  return key.slice(0, 32);
}

export function LogFieldsPanel() {
  const fields = useLogFields();
  const create = useCreateLogField();
  const remove = useDeleteLogField();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<LogField | null>(null);
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<NewLogField['kind']>('text');
  const [choices, setChoices] = useState('');
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel__head">
        <h2 id={`${id}-title`} className="panel__title">
          Logging fields
        </h2>
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setLabel('');
            setKey('');
            setKind('text');
            setChoices('');
            setCreating(true);
          }}
        >
          <IconEdit /> New field
        </button>
      </div>
      <p className="form__hint">
        Every asset has camera, reel, scene, take, circled, rating and description. Fields added here appear
        in every asset's log, and search finds them as <span className="mono">key:value</span>.
      </p>
      <table className="plain-table" aria-label="Custom logging fields">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Key</th>
            <th scope="col">Kind</th>
            <th scope="col">Choices</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.isLoading && (
            <tr>
              <td colSpan={5}>
                <Skeleton width="50%" />
              </td>
            </tr>
          )}
          {fields.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No custom fields yet.
              </td>
            </tr>
          )}
          {fields.data?.map((field) => (
            <tr key={field.id}>
              <td>{field.label}</td>
              <td className="mono">{field.key}</td>
              <td>{field.kind}</td>
              <td>{field.choices.join(', ') || '—'}</td>
              <td className="plain-table__actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove field ${field.label}`}
                  onClick={() => setDeleting(field)}
                >
                  <IconTrash />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating && (
        <FormDialog
          title="New logging field"
          submitLabel="Add field"
          onClose={() => setCreating(false)}
          disabled={label.trim() === '' || (key || keyOf(label)) === ''}
          onSubmit={async () => {
            await create.mutateAsync({
              label: label.trim(),
              key: key || keyOf(label),
              kind,
              ...(kind === 'choice'
                ? {
                    choices: choices
                      .split('\n')
                      .map((c) => c.trim())
                      .filter(Boolean),
                  }
                : {}),
            });
            showToast('success', `Added the field ${label.trim()}`);
          }}
        >
          <TextField label="Label" value={label} onChange={setLabel} autoComplete="off" data-autofocus />
          <TextField
            label="Key"
            value={key}
            placeholder={keyOf(label)}
            onChange={setKey}
            autoComplete="off"
            hint="What search uses (lens:35mm): lower-case letters, digits and _. It never changes."
          />
          <div className="form__row">
            <label className="form__label" htmlFor={`${id}-kind`}>
              Kind
            </label>
            <select
              id={`${id}-kind`}
              className="input"
              value={kind}
              onChange={(e) => setKind(e.target.value as NewLogField['kind'])}
            >
              {KINDS.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
          </div>
          {kind === 'choice' && (
            <div className="form__row">
              <label className="form__label" htmlFor={`${id}-choices`}>
                Choices, one a line
              </label>
              <textarea
                id={`${id}-choices`}
                className="input"
                rows={4}
                value={choices}
                onChange={(e) => setChoices(e.target.value)}
              />
            </div>
          )}
        </FormDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title="Remove logging field"
          message={
            <>
              Remove <strong>{deleting.label}</strong>? Its value is removed from every asset's log.
            </>
          }
          confirmLabel="Remove field"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await remove.mutateAsync(deleting.id);
            showToast('success', `Removed the field ${deleting.label}`);
          }}
        />
      )}
    </section>
  );
}

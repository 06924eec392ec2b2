/** Admin → Logging fields: the deployment's own fields beside camera, reel, scene and take. */
import { useId, useState } from 'react';
import { AdminPanel, AdminTable, RowButton } from '../../../components/admin-list';
import { ConfirmDialog, FormDialog } from '../../../components/dialog';
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
    <AdminPanel
      title="Logging fields"
      newLabel={
        <>
          <IconEdit /> New field
        </>
      }
      onNew={() => {
        setLabel('');
        setKey('');
        setKind('text');
        setChoices('');
        setCreating(true);
      }}
    >
      <p className="form__hint">
        Every asset has camera, reel, scene, take, circled, rating and description. Fields added here appear
        in every asset's log, and search finds them as <span className="mono">key:value</span>.
      </p>
      <AdminTable
        label="Custom logging fields"
        loading={fields.isLoading}
        rows={fields.data}
        rowKey={(field) => field.id}
        empty="No custom fields yet."
        columns={[
          { header: 'Label', cell: (field) => field.label },
          { header: 'Key', className: 'mono', cell: (field) => field.key },
          { header: 'Kind', cell: (field) => field.kind },
          { header: 'Choices', cell: (field) => field.choices.join(', ') || '—' },
        ]}
        actions={(field) => (
          <RowButton
            label={`Remove field ${field.label}`}
            icon={<IconTrash />}
            onClick={() => setDeleting(field)}
          />
        )}
      />
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
    </AdminPanel>
  );
}

/** Admins: trash retention, the clean-up threshold, and prices per GB-month for the cost figures. */
import { useEffect, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { showToast } from '../../../components/toasts';
import { ApiError } from '../../../lib/api-client';
import { type StorageOverview, useSaveStorageSettings, useStorageSettings } from '../api/storage';
import { Panel } from './panel';

type Form = Record<string, string>;
/** One input of the form; `errorField` is the name the API gives it when it refuses the value. */
interface Field {
  key: string;
  label: string;
  inputMode?: 'numeric' | 'decimal';
  maxLength?: number;
  hint?: string;
  errorField?: string;
}

export function SettingsPanel({ overview }: { overview: StorageOverview }) {
  const settings = useStorageSettings(true);
  const save = useSaveStorageSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  useEffect(() => {
    if (!settings.data || form) return;
    const s = settings.data;
    const f: Form = {
      retentionDays: String(s.retentionDays),
      idleDays: String(s.idleDays),
      currency: s.currency,
      lake: s.prices.lake === null ? '' : String(s.prices.lake),
      derived: s.prices.derived === null ? '' : String(s.prices.derived),
    };
    for (const v of overview.volumes)
      f[`volume:${v.id}`] = s.prices.volumes[v.id] == null ? '' : String(s.prices.volumes[v.id]);
    setForm(f);
  }, [settings.data, form, overview.volumes]);
  if (!form) return <div className="storage-empty">Loading…</div>;
  const set = (key: string) => (value: string) => setForm({ ...form, [key]: value });
  const price = (value: string) => (value.trim() === '' ? null : Number(value));
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  const fields: Field[] = [
    {
      key: 'retentionDays',
      label: 'Purge trashed originals after (days)',
      inputMode: 'numeric',
      hint: '0 keeps them until the trash is emptied. Every purge is in the audit log.',
    },
    { key: 'idleDays', label: 'Volume copies are idle after (days)', inputMode: 'numeric' },
    { key: 'currency', label: 'Currency', maxLength: 3 },
    {
      key: 'lake',
      label: 'Lake, per GB-month',
      inputMode: 'decimal',
      hint: 'Empty: not priced.',
      errorField: 'prices.lake',
    },
    {
      key: 'derived',
      label: 'Derivatives, per GB-month',
      inputMode: 'decimal',
      errorField: 'prices.derived',
    },
    ...overview.volumes.map(
      (v): Field => ({
        key: `volume:${v.id}`,
        label: `${v.name}, per GB-month`,
        inputMode: 'decimal',
        errorField: `prices.volumes.${v.id}`,
      }),
    ),
  ];
  return (
    <Panel wide title="Storage settings">
      <form
        className="form storage-settings"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          try {
            const volumes: Record<string, number | null> = {};
            for (const v of overview.volumes) volumes[v.id] = price(form[`volume:${v.id}`] ?? '');
            await save.mutateAsync({
              retentionDays: Number(form.retentionDays),
              idleDays: Number(form.idleDays),
              currency: form.currency ?? 'USD',
              prices: { lake: price(form.lake ?? ''), derived: price(form.derived ?? ''), volumes },
            });
            showToast('success', 'Storage settings saved');
          } catch (e) {
            const details = e instanceof ApiError ? (e.details as { field?: string } | undefined) : undefined;
            setError({ field: details?.field, message: (e as Error).message });
          }
        }}
      >
        {fields.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            value={form[f.key] ?? ''}
            onChange={set(f.key)}
            inputMode={f.inputMode}
            maxLength={f.maxLength}
            hint={f.hint}
            error={fieldError(f.errorField ?? f.key)}
          />
        ))}
        {error && !error.field && (
          <p className="form__error" role="alert">
            {error.message}
          </p>
        )}
        <div>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            Save
          </button>
        </div>
      </form>
    </Panel>
  );
}

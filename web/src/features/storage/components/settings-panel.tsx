/** Admins: trash retention, the clean-up threshold, and prices per GB-month for the cost figures. */
import { useEffect, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { showToast } from '../../../components/toasts';
import { ApiError } from '../../../lib/api-client';
import { type StorageOverview, useSaveStorageSettings, useStorageSettings } from '../api/storage';

type Form = Record<string, string>;

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
  return (
    <section className="storage-panel storage-panel--wide" aria-labelledby="storage-settings-title">
      <h2 id="storage-settings-title" className="storage-panel__title">
        Storage settings
      </h2>
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
        <TextField
          label="Purge trashed originals after (days)"
          value={form.retentionDays!}
          onChange={set('retentionDays')}
          inputMode="numeric"
          hint="0 keeps them until the trash is emptied. Every purge is in the audit log."
          error={fieldError('retentionDays')}
        />
        <TextField
          label="Volume copies are idle after (days)"
          value={form.idleDays!}
          onChange={set('idleDays')}
          inputMode="numeric"
          error={fieldError('idleDays')}
        />
        <TextField
          label="Currency"
          value={form.currency!}
          onChange={set('currency')}
          maxLength={3}
          error={fieldError('currency')}
        />
        <TextField
          label="Lake, per GB-month"
          value={form.lake!}
          onChange={set('lake')}
          inputMode="decimal"
          hint="Empty: not priced."
          error={fieldError('prices.lake')}
        />
        <TextField
          label="Derivatives, per GB-month"
          value={form.derived!}
          onChange={set('derived')}
          inputMode="decimal"
          error={fieldError('prices.derived')}
        />
        {overview.volumes.map((v) => (
          <TextField
            key={v.id}
            label={`${v.name}, per GB-month`}
            value={form[`volume:${v.id}`] ?? ''}
            onChange={set(`volume:${v.id}`)}
            inputMode="decimal"
            error={fieldError(`prices.volumes.${v.id}`)}
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
    </section>
  );
}

import { type FormEvent, useState } from 'react';
import { AdminTable, RowButton } from '../../../components/admin-list';
import { ConfirmDialog } from '../../../components/dialog';
import { IconCopy, IconTrash } from '../../../components/icons';
import { TextField } from '../../../components/text-field';
import { errorMessage, showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { useCreateToken } from '../api/create-token';
import { type ApiToken, useTokens } from '../api/list-tokens';
import { useRevokeToken } from '../api/revoke-token';

const LIFETIMES = [7, 30, 90, 180, 365];

function stateOf(token: ApiToken): 'active' | 'expired' | 'revoked' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

/** Personal API tokens for scripts: made with the password again, always expiring, revocable. */
export function TokensSection({ twoFactorEnabled }: { twoFactorEnabled: boolean }) {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [copied, setCopied] = useState(false);
  return (
    <section className="security__section" aria-labelledby="tokens-title">
      <div className="security__head">
        <h3 id="tokens-title" className="security__title">
          API tokens
        </h3>
        {!creating && !made && (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            New token…
          </button>
        )}
      </div>
      <p className="form__hint">
        For scripts and the command line: send{' '}
        <span className="mono">Authorization: Bearer &lt;token&gt;</span>. A token acts as you, stops on its
        expiry date, and is revoked when your password changes.
      </p>
      {made && (
        <div className="form token-made">
          <p className="form__hint">
            Copy the token <strong>{made.name}</strong> now; it is shown only once:
          </p>
          <p className="secret mono" data-testid="new-token">
            {made.token}
          </p>
          <div className="security__actions">
            <button
              type="button"
              className="button"
              onClick={async () => {
                await navigator.clipboard?.writeText(made.token);
                setCopied(true);
              }}
            >
              <IconCopy /> {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="button button--primary" onClick={() => setMade(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {creating && (
        <NewTokenForm
          twoFactorEnabled={twoFactorEnabled}
          onCancel={() => setCreating(false)}
          onMade={(name, token) => {
            setCreating(false);
            setCopied(false);
            setMade({ name, token });
          }}
        />
      )}
      {tokens.data && tokens.data.length > 0 ? (
        <AdminTable
          label="API tokens"
          className="tokens"
          rows={tokens.data}
          rowKey={(token) => token.id}
          rowClassName={(token) => (stateOf(token) === 'active' ? '' : 'tokens__gone')}
          columns={[
            { header: 'Name', cell: (token) => token.name },
            { header: 'Created', className: 'nowrap', cell: (token) => formatDate(token.createdAt) },
            { header: 'Expires', className: 'nowrap', cell: (token) => formatDate(token.expiresAt) },
            { header: 'Last used', className: 'nowrap', cell: (token) => formatDate(token.lastUsedAt) },
            {
              header: 'State',
              cell: (token) => (
                <span className={`badge ${stateOf(token) === 'active' ? 'badge--ok' : ''}`}>
                  {stateOf(token)}
                </span>
              ),
            },
          ]}
          actions={(token) =>
            stateOf(token) === 'active' && (
              <RowButton
                label={`Revoke ${token.name}`}
                title="Revoke"
                icon={<IconTrash />}
                onClick={() => setRevoking(token)}
              />
            )
          }
        />
      ) : (
        tokens.data && <p className="muted">No tokens yet.</p>
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke token"
          message={
            <>
              Revoke <strong>{revoking.name}</strong>? Scripts using it stop working at once.
            </>
          }
          confirmLabel="Revoke"
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await revoke.mutateAsync(revoking.id);
            showToast('success', `Revoked ${revoking.name}`);
          }}
        />
      )}
    </section>
  );
}

function NewTokenForm({
  twoFactorEnabled,
  onCancel,
  onMade,
}: {
  twoFactorEnabled: boolean;
  onCancel: () => void;
  onMade: (name: string, token: string) => void;
}) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const answer = await create.mutateAsync({
        name: name.trim(),
        expiresInDays: days,
        password,
        ...(twoFactorEnabled ? { code: code.trim() } : {}),
      });
      onMade(answer.item.name, answer.token);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form className="form token-form" onSubmit={submit}>
      <TextField
        label="Token name"
        value={name}
        onChange={setName}
        maxLength={100}
        required
        autoFocus
        hint="What uses it, e.g. “ingest script on render-01”."
      />
      <div className="form__row">
        <label className="form__label" htmlFor="token-lifetime">
          Expires after
        </label>
        <select
          id="token-lifetime"
          className="input"
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        >
          {LIFETIMES.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </div>
      <TextField
        label="Your password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
      />
      {twoFactorEnabled && (
        <TextField
          label="Code from the app, or a recovery code"
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
          required
        />
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <div className="security__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button--primary"
          disabled={create.isPending}
          aria-busy={create.isPending}
        >
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

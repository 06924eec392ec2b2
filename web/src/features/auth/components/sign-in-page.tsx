import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../../components/toasts';
import { useAuthConfig } from '../api/get-auth-config';
import { useSignIn } from '../api/sign-in';
import { useSignUp } from '../api/sign-up';
import { AuthCard } from './auth-card';

/** Sign in, or create an account when the server allows sign-up (new accounts join "editors"). */
export function SignInPage({ onSignedIn }: { onSignedIn?: () => void }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const config = useAuthConfig();
  const signIn = useSignIn();
  const signUp = useSignUp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const busy = signIn.isPending || signUp.isPending;
  const minLength = config.data?.passwordMinLength ?? 8;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (mode === 'sign-in') await signIn.mutateAsync({ username: username.trim(), password });
      else {
        if (password !== confirm) {
          setError('The two passwords differ.');
          return;
        }
        await signUp.mutateAsync({ username: username.trim(), password });
      }
      onSignedIn?.();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <AuthCard
      title={mode === 'sign-in' ? 'Sign in' : 'Create an account'}
      subtitle={mode === 'sign-up' ? 'New accounts join the editors group.' : undefined}
    >
      <form className="form" onSubmit={submit}>
        <div className="form__row">
          <label className="form__label" htmlFor={`${id}-user`}>
            Username
          </label>
          <input
            id={`${id}-user`}
            className="input"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            // biome-ignore lint/a11y/noAutofocus: the sign-in screen exists to take this.
            autoFocus
          />
        </div>
        <div className="form__row">
          <label className="form__label" htmlFor={`${id}-password`}>
            Password
          </label>
          <input
            id={`${id}-password`}
            className="input"
            type="password"
            autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
            minLength={mode === 'sign-up' ? minLength : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        {mode === 'sign-up' && (
          <div className="form__row">
            <label className="form__label" htmlFor={`${id}-confirm`}>
              Repeat the password
            </label>
            <input
              id={`${id}-confirm`}
              className="input"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              required
            />
            <p className="form__hint">At least {minLength} characters.</p>
          </div>
        )}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {mode === 'sign-in' ? (busy ? 'Signing in…' : 'Sign in') : busy ? 'Creating…' : 'Create account'}
        </button>
        {config.data?.oidc && mode === 'sign-in' && (
          <a className="button" href={config.data.oidc.startUrl}>
            Sign in with {config.data.oidc.name}
          </a>
        )}
      </form>
      {config.data?.signUp && (
        <p className="auth__switch">
          {mode === 'sign-in' ? 'New here? ' : 'Have an account? '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setMode(mode === 'sign-in' ? 'sign-up' : 'sign-in');
              setError(null);
            }}
          >
            {mode === 'sign-in' ? 'Create an account' : 'Sign in'}
          </button>
        </p>
      )}
    </AuthCard>
  );
}

import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
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
        <TextField
          label="Username"
          autoComplete="username"
          value={username}
          onChange={setUsername}
          required
          autoFocus
        />
        <TextField
          label="Password"
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          minLength={mode === 'sign-up' ? minLength : undefined}
          value={password}
          onChange={setPassword}
          required
        />
        {mode === 'sign-up' && (
          <TextField
            label="Repeat the password"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={setConfirm}
            required
            hint={<>At least {minLength} characters.</>}
          />
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

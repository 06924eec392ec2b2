import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../components/toasts';
import { useConfirmEnrolmentAtSignIn } from '../api/confirm-enrolment-at-sign-in';
import { useEnrolAtSignIn } from '../api/enrol-at-sign-in';
import { useAuthConfig } from '../api/get-auth-config';
import { forgetOtherUsersData, type Me, meKeys } from '../api/get-me';
import { isPending, useSignIn } from '../api/sign-in';
import { useSignInWithCode } from '../api/sign-in-code';
import { useSignUp } from '../api/sign-up';
import { rememberSignInPassword } from '../sign-in-password';
import { AuthCard } from './auth-card';
import { CodeStep } from './code-step';
import { EnrolApp, type EnrolmentView } from './enrol-app';
import { firstUnmet, PasswordRules, passwordRules } from './password-rules';
import { RecoveryCodes } from './recovery-codes';
import './security.css';

/**
 * Where a sign-in stands: the password form, the code step, enrolling an app an admin requires,
 * the recovery codes of that enrolment, or a sign-up waiting for an admin.
 */
type Stage =
  | { step: 'password' }
  | { step: 'code'; challenge: string }
  | { step: 'enrol'; challenge: string; enrolment: EnrolmentView | null }
  | { step: 'recovery'; codes: string[]; user: Me }
  | { step: 'waiting'; message: string };

/** Sign in (password, then a code when two-factor is on), or create an account when sign-up is open. */
export function SignInPage({ onSignedIn }: { onSignedIn?: () => void }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [stage, setStage] = useState<Stage>({ step: 'password' });
  const config = useAuthConfig();
  const signIn = useSignIn();
  const signUp = useSignUp();
  const withCode = useSignInWithCode();
  const enrol = useEnrolAtSignIn();
  const confirmEnrolment = useConfirmEnrolmentAtSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const busy = signIn.isPending || signUp.isPending || enrol.isPending;
  const minLength = config.data?.passwordMinLength ?? 8;
  const signUpMode = config.data?.signUp ?? 'off';

  const startOver = () => {
    setStage({ step: 'password' });
    setPassword('');
    setError(null);
  };

  const continueWith = async (answer: object) => {
    if (isPending(answer)) {
      if (answer.next === 'code') setStage({ step: 'code', challenge: answer.challenge });
      else {
        setStage({ step: 'enrol', challenge: answer.challenge, enrolment: null });
        const enrolment = await enrol.mutateAsync(answer.challenge);
        setStage({ step: 'enrol', challenge: answer.challenge, enrolment });
      }
      return;
    }
    if ('awaitingApproval' in answer && 'message' in answer) {
      setStage({ step: 'waiting', message: String(answer.message) });
      return;
    }
    onSignedIn?.();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (mode === 'sign-in') {
        const answer = await signIn.mutateAsync({ username: username.trim(), password });
        rememberSignInPassword(password);
        await continueWith(answer);
      } else {
        const unmet = firstUnmet(passwordRules(password, { minLength, repeat: confirm }));
        if (unmet) {
          setError(unmet);
          return;
        }
        await continueWith(await signUp.mutateAsync({ username: username.trim(), password }));
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (stage.step === 'code')
    return (
      <AuthCard
        title="Two-factor sign-in"
        subtitle="Enter the code your authenticator app shows for Dailies."
      >
        <CodeStep
          onStartOver={startOver}
          onSubmit={async (code) => {
            await withCode.mutateAsync({ challenge: stage.challenge, code });
            onSignedIn?.();
          }}
        />
      </AuthCard>
    );

  if (stage.step === 'enrol')
    return (
      <AuthCard
        title="Set up two-factor sign-in"
        subtitle="Your admin requires a code from an authenticator app for this account, on top of the password."
      >
        {stage.enrolment ? (
          <EnrolApp
            enrolment={stage.enrolment}
            submitLabel="Turn on and continue"
            onConfirm={async (code) => {
              const done = await confirmEnrolment.mutateAsync({ challenge: stage.challenge, code });
              setStage({ step: 'recovery', codes: done.recoveryCodes, user: done.user });
            }}
          />
        ) : (
          <p className="form__hint">Preparing…</p>
        )}
        <p className="auth__switch">
          <button type="button" className="link-button" onClick={startOver}>
            Start over
          </button>
        </p>
      </AuthCard>
    );

  if (stage.step === 'recovery')
    return (
      <AuthCard title="Save your recovery codes" subtitle="Two-factor sign-in is on.">
        <RecoveryCodes
          codes={stage.codes}
          username={stage.user.username}
          doneLabel="I have saved them; continue"
          onDone={() => {
            forgetOtherUsersData(queryClient);
            queryClient.setQueryData(meKeys.me, stage.user);
            onSignedIn?.();
          }}
        />
      </AuthCard>
    );

  if (stage.step === 'waiting')
    return (
      <AuthCard title="Waiting for approval">
        <p className="auth__notice" role="status">
          {stage.message}
        </p>
        <p className="form__hint">
          You will be able to sign in with this username and password once they have.
        </p>
        <p className="auth__switch">
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setMode('sign-in');
              startOver();
            }}
          >
            Back to sign-in
          </button>
        </p>
      </AuthCard>
    );

  return (
    <AuthCard
      title={mode === 'sign-in' ? 'Sign in' : 'Create an account'}
      subtitle={
        mode === 'sign-up'
          ? signUpMode === 'approve'
            ? 'An admin must approve your account before you can sign in. New accounts join the editors group.'
            : 'New accounts join the editors group.'
          : undefined
      }
    >
      <form className="form" onSubmit={submit} noValidate={mode === 'sign-up'}>
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
          />
        )}
        {mode === 'sign-up' && (
          <PasswordRules rules={passwordRules(password, { minLength, repeat: confirm })} />
        )}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {mode === 'sign-in'
            ? busy
              ? 'Signing in…'
              : 'Sign in'
            : busy
              ? 'Creating…'
              : signUpMode === 'approve'
                ? 'Ask for an account'
                : 'Create account'}
        </button>
        {config.data?.oidc && mode === 'sign-in' && (
          <a className="button" href={config.data.oidc.startUrl}>
            Sign in with {config.data.oidc.name}
          </a>
        )}
      </form>
      {signUpMode !== 'off' && (
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

import { useSignOut } from '../api/sign-out';
import { signInPassword } from '../sign-in-password';
import { AuthCard } from './auth-card';
import { ChangePasswordForm } from './change-password-form';

/** First sign-in with a password an admin set: it must be replaced before anything else. */
export function ForcedPasswordPage({ username }: { username: string }) {
  const signOut = useSignOut();
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={
        <>
          Signed in as <strong>{username}</strong>. The password you used was set by an administrator; replace
          it to continue.
        </>
      }
    >
      <ChangePasswordForm submitLabel="Save and continue" knownCurrent={signInPassword() ?? undefined} />
      <p className="auth__switch">
        <button type="button" className="link-button" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </p>
    </AuthCard>
  );
}

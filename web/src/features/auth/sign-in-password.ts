/**
 * The password of the sign-in just made, kept in memory (never stored) for the one screen that
 * needs it again: the forced change after an admin set the password, which would otherwise ask
 * for what the user typed a moment ago. A reload forgets it, and the screen then asks.
 */
let password: string | null = null;

export function rememberSignInPassword(value: string): void {
  password = value;
}

export function signInPassword(): string | null {
  return password;
}

export function forgetSignInPassword(): void {
  password = null;
}

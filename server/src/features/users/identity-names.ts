import { Invalid } from '../../lib/errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const GROUP_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const PASSWORD_MIN_LENGTH = 8;
const PASSWORD_MAX_LENGTH = 256;

/** Lower-cases and checks a username; throws Invalid naming the rule it breaks. */
export function validateUsername(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new Invalid('The username is empty.');
  if (CONTROL.test(raw))
    throw new Invalid('The username cannot contain control characters (such as NUL, tab or newline).');
  const username = raw.toLowerCase();
  if (username.length > 64) throw new Invalid('The username is longer than 64 characters.');
  if (!USERNAME.test(username))
    throw new Invalid(
      `The username "${raw}" may hold only letters a-z, digits and . _ @ -, and must begin with a letter or digit.`,
    );
  return username;
}

export function validateGroupName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new Invalid('The group name is empty.');
  if (CONTROL.test(raw))
    throw new Invalid('The group name cannot contain control characters (such as NUL, tab or newline).');
  if (!GROUP_NAME.test(raw))
    throw new Invalid(
      `The group name "${raw}" may hold only lower-case letters a-z, digits and . _ -, at most 64, beginning with a letter or digit.`,
    );
  return raw;
}

export function validatePassword(password: unknown, username?: string): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH)
    throw new Invalid(`The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH)
    throw new Invalid(`The password is longer than ${PASSWORD_MAX_LENGTH} characters.`);
  if (username && password.toLowerCase() === username.toLowerCase())
    throw new Invalid('The password cannot be the username.');
  return password;
}

export function validateDisplayName(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const name = raw.trim();
  if (CONTROL.test(name)) throw new Invalid('The display name cannot contain control characters.');
  if (name.length > 128) throw new Invalid('The display name is longer than 128 characters.');
  return name || null;
}

/**
 * What a new password must meet, listed under the fields and ticked off as the user types, so
 * a short password is caught by Dailies with a reason rather than by a browser tooltip.
 */
import './password-rules.css';

export interface PasswordRule {
  label: string;
  met: boolean;
  /** What to say when the form is sent without it. */
  problem: string;
}

/** Counts as the server does (UTF-16 length), so the tick and the server agree. */
export function passwordRules(
  password: string,
  options: { minLength: number; repeat?: string; current?: string },
): PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      label: `At least ${options.minLength} characters`,
      met: password.length >= options.minLength,
      problem: `The password needs at least ${options.minLength} characters.`,
    },
  ];
  if (options.current !== undefined)
    rules.push({
      label: 'Different from the current password',
      met: password !== '' && password !== options.current,
      problem: 'Choose a password different from the current one.',
    });
  if (options.repeat !== undefined)
    rules.push({
      label: 'Both passwords match',
      met: password !== '' && password === options.repeat,
      problem: 'The two passwords differ.',
    });
  return rules;
}

/** The first rule not met, as a sentence for the form's error; null when all are met. */
export function firstUnmet(rules: PasswordRule[]): string | null {
  return rules.find((rule) => !rule.met)?.problem ?? null;
}

export function PasswordRules({ rules, id }: { rules: PasswordRule[]; id?: string }) {
  return (
    <ul className="password-rules" id={id} aria-label="Password rules">
      {rules.map((rule) => (
        <li key={rule.label} className={rule.met ? 'is-met' : undefined}>
          <span className="password-rules__mark" aria-hidden="true">
            {rule.met ? '✓' : '•'}
          </span>
          {rule.label}
          <span className="visually-hidden">{rule.met ? ' (met)' : ' (not met yet)'}</span>
        </li>
      ))}
    </ul>
  );
}

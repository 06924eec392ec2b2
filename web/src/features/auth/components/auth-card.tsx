import type { ReactNode } from 'react';

/** The frame of the sign-in screens: brand, title, a form. */
export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="auth">
      <main className="auth__card">
        <div className="auth__brand">
          <span className="brand__mark" aria-hidden="true">
            D
          </span>
          <span className="brand__name">Dailies</span>
        </div>
        <h1 className="auth__title">{title}</h1>
        {subtitle && <p className="form__hint auth__subtitle">{subtitle}</p>}
        {children}
      </main>
    </div>
  );
}

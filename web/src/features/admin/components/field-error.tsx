/** The server's message for one field, shown under it and announced to screen readers. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="form__error" role="alert">
      {message}
    </p>
  );
}

/** The field a server refusal names (`details.field`, e.g. `lake.bucket`, `volumes.0.path`). */
export function fieldOf(error: unknown): string | null {
  const details = (error as { details?: { field?: unknown } } | null)?.details;
  return typeof details?.field === 'string' ? details.field : null;
}

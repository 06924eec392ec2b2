import { type ReactNode, useId } from 'react';

/**
 * A titled box of the storage page. The section is named by its title alone (not the note
 * beside it), so a screen reader's list of regions reads "Duplicates", not the figures.
 */
export function Panel({
  title,
  note,
  wide = false,
  children,
}: {
  title: string;
  note?: ReactNode;
  /** Spans the page's two columns. */
  wide?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className={wide ? 'storage-panel storage-panel--wide' : 'storage-panel'} aria-labelledby={id}>
      <h2 className="storage-panel__title">
        <span id={id}>{title}</span>
        {note !== undefined && <span className="storage-panel__note">{note}</span>}
      </h2>
      {children}
    </section>
  );
}

/**
 * One filter as a button that opens a small panel of its values, each with the number of
 * results it has (the server's facet counts). Escape or a click outside closes it.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { formatCount } from '../../../lib/format';
import './search.css';

export interface FilterOption {
  value: string;
  label: string;
  count: number;
}

interface FilterMenuProps {
  label: string;
  /** What the button says once something is chosen, e.g. "Kind: video". */
  summary?: string;
  children: (close: () => void) => ReactNode;
}

export function FilterMenu({ label, summary, children }: FilterMenuProps) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const panelId = useId();
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: Event) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="filter" ref={ref}>
      <button
        type="button"
        className={`filter__button ${summary ? 'is-active' : ''}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {summary ?? label}
        <span className="filter__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <fieldset id={panelId} className="filter__panel" aria-label={`${label} filter`}>
          {children(() => setOpen(false))}
        </fieldset>
      )}
    </div>
  );
}

/** The values of one facet as checkboxes (or radio buttons for a range), with their counts. */
export function FacetOptions({
  name,
  options,
  selected,
  single,
  onChange,
}: {
  name: string;
  options: FilterOption[];
  selected: string[];
  single?: boolean;
  onChange: (values: string[]) => void;
}) {
  if (options.length === 0) return <div className="filter__empty">No values in these results</div>;
  return (
    <ul className="filter__options">
      {options.map((option) => {
        const checked = selected.includes(option.value);
        return (
          <li key={option.value}>
            <label className="filter__option">
              <input
                type={single ? 'radio' : 'checkbox'}
                name={name}
                checked={checked}
                onChange={() =>
                  onChange(
                    single
                      ? checked
                        ? []
                        : [option.value]
                      : checked
                        ? selected.filter((v) => v !== option.value)
                        : [...selected, option.value],
                  )
                }
                onClick={(event) => {
                  // A radio cannot be unchecked by itself: a second click clears the range.
                  if (single && checked) {
                    event.preventDefault();
                    onChange([]);
                  }
                }}
              />
              <span className="filter__value">{option.label}</span>
              <span className="filter__count" data-testid="facet-count">
                {formatCount(option.count)}
              </span>
            </label>
          </li>
        );
      })}
    </ul>
  );
}

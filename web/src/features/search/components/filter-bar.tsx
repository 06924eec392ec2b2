/**
 * The search filters under the toolbar: a menu per facet with the server's counts, a dates
 * menu, and the chosen filters as chips that remove themselves when clicked.
 */
import { IconClose } from '../../../components/icons';
import type { SearchFacets } from '../../../lib/api-client';
import { formatFrameRate } from '../../../lib/format';
import {
  DATE_KEYS,
  type DateKey,
  FACETS,
  type FacetDefinition,
  type FacetKey,
  type SearchState,
} from '../search-state';
import { FacetOptions, FilterMenu, type FilterOption } from './filter-menu';
import './search.css';

const DATE_LABEL: Record<DateKey, string> = {
  createdFrom: 'Created from',
  createdTo: 'Created to',
  modifiedFrom: 'Modified from',
  modifiedTo: 'Modified to',
};

interface FilterBarProps {
  state: SearchState;
  facets: SearchFacets | null;
  /** Edit volume names by id, for the location facet. */
  volumeName: (id: string) => string;
  onFilter: (key: FacetKey, values: string[]) => void;
  onDate: (key: DateKey, value: string) => void;
  onClear: () => void;
}

export function FilterBar({ state, facets, volumeName, onFilter, onDate, onClear }: FilterBarProps) {
  const label = (facet: FacetKey, value: string) => valueLabel(facet, value, volumeName);
  const chips = [
    ...Object.entries(state.filters).flatMap(([key, values]) =>
      values.map((value) => ({
        id: `${key}=${value}`,
        text: `${facetLabel(key as FacetKey)}: ${label(key as FacetKey, value)}`,
        remove: () =>
          onFilter(
            key as FacetKey,
            values.filter((v) => v !== value),
          ),
      })),
    ),
    ...Object.entries(state.dates).map(([key, value]) => ({
      id: key,
      text: `${DATE_LABEL[key as DateKey]} ${value}`,
      remove: () => onDate(key as DateKey, ''),
    })),
  ];
  return (
    <section className="filter-bar" aria-label="Search filters">
      {FACETS.map((facet) => (
        <FacetFilter
          key={facet.key}
          facet={facet}
          counts={facets?.[facet.key] ?? []}
          selected={state.filters[facet.key] ?? []}
          label={(value) => label(facet.key, value)}
          onChange={(values) => onFilter(facet.key, values)}
        />
      ))}
      <FilterMenu label="Dates" summary={Object.keys(state.dates).length ? 'Dates (set)' : undefined}>
        {() => (
          <div className="filter__dates">
            {DATE_KEYS.map((key) => (
              <label key={key} className="filter__date">
                <span>{DATE_LABEL[key]}</span>
                <input
                  type="date"
                  value={state.dates[key] ?? ''}
                  onChange={(event) => onDate(key, event.target.value)}
                />
              </label>
            ))}
          </div>
        )}
      </FilterMenu>
      {chips.length > 0 && (
        <ul className="chips" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.id}>
              <button
                type="button"
                className="chip"
                aria-label={`Remove filter ${chip.text}`}
                onClick={chip.remove}
              >
                {chip.text}
                <IconClose size={12} />
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="link-button" onClick={onClear}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </section>
  );
}

function FacetFilter({
  facet,
  counts,
  selected,
  label,
  onChange,
}: {
  facet: FacetDefinition;
  counts: Array<{ value: string; count: number }>;
  selected: string[];
  label: (value: string) => string;
  onChange: (values: string[]) => void;
}) {
  const options: FilterOption[] = counts.map((c) => ({ ...c, label: label(c.value) }));
  // A chosen value the current results no longer count still shows, so it can be unchosen.
  for (const value of selected)
    if (!options.some((o) => o.value === value)) options.push({ value, label: label(value), count: 0 });
  const summary =
    selected.length === 0
      ? undefined
      : `${facet.label}: ${selected.length === 1 ? label(selected[0]) : `${selected.length} chosen`}`;
  return (
    <FilterMenu label={facet.label} summary={summary}>
      {() => (
        <FacetOptions
          name={facet.key}
          options={options}
          selected={selected}
          single={facet.single}
          onChange={onChange}
        />
      )}
    </FilterMenu>
  );
}

function facetLabel(key: FacetKey): string {
  return FACETS.find((f) => f.key === key)?.label ?? key;
}

function valueLabel(facet: FacetKey, value: string, volumeName: (id: string) => string): string {
  if (facet === 'frameRate') return formatFrameRate(value);
  if (facet === 'location') return value === 'lake' ? 'Lake only' : `On ${volumeName(value)}`;
  if (facet === 'circled') return value === 'yes' ? 'Circled' : 'Not circled';
  return value;
}

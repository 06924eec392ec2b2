/** One checkbox per group; `admin` last-resort safe: it can be disabled by the caller. */
export function GroupChecklist({
  groups,
  chosen,
  onChange,
  legend = 'Groups',
}: {
  groups: string[];
  chosen: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  legend?: string;
}) {
  return (
    <fieldset className="checklist">
      <legend className="form__label">{legend}</legend>
      {groups.map((group) => (
        <label key={group} className="checklist__item">
          <input
            type="checkbox"
            checked={chosen.has(group)}
            onChange={(event) => {
              const next = new Set(chosen);
              if (event.target.checked) next.add(group);
              else next.delete(group);
              onChange(next);
            }}
          />
          <span>{group}</span>
        </label>
      ))}
    </fieldset>
  );
}

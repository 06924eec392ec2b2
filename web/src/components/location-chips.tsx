/**
 * Where an asset is, one chip per place (`lake`, `Avid NEXIS (edit 1)`): a name is shown whole
 * or not at all — the chips that do not fit the cell move to a hidden line and a `+N` says how
 * many — so "lake + Avid NEXIS (edit 1)" never reads "lake + Avid". The tooltip and the
 * accessible name give every place in full.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { useVolumeName } from '../lib/volume-names';
import './location-chips.css';

export function LocationChips({ locations }: { locations: string[] }) {
  const volumeName = useVolumeName();
  const names = locations.map((l) => (l === 'lake' ? 'lake' : volumeName(l)));
  const full = `In ${names.join(' and ')}`;
  const ref = useRef<HTMLSpanElement>(null);
  const [hidden, setHidden] = useState(0);
  const key = names.join('\u0000');

  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again when the names change.
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    // A chip on a later line, or sticking out of the line's right edge, is out of sight whole.
    const measure = () => {
      const line = box.getBoundingClientRect();
      const chips = [...box.querySelectorAll<HTMLElement>('.location-chip')];
      const out = chips.filter((chip) => {
        const r = chip.getBoundingClientRect();
        return r.top >= line.bottom - 0.5 || r.right > line.right + 0.5;
      });
      setHidden(out.length);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [key]);

  return (
    <span className="location-chips" title={full} role="img" aria-label={full}>
      <span ref={ref} className={`location-chips__line ${hidden > 0 ? 'has-more' : ''}`}>
        {locations.map((id, i) => (
          <span
            key={id}
            className={`location-chip ${id === 'lake' ? '' : 'location-chip--volume'} ${i >= locations.length - hidden ? 'location-chip--out' : ''}`}
          >
            {names[i]}
          </span>
        ))}
      </span>
      {hidden > 0 && <span className="location-chip location-chip--more">+{hidden}</span>}
    </span>
  );
}

/** A labelled horizontal bar per row (kinds, formats, derivatives): size and share at a glance. */
import { formatBytes, formatCount } from '../../../lib/format';

export interface Bar {
  key: string;
  label: string;
  bytes: number;
  assets?: number;
  color?: string;
}

export function Bars({ rows, total, label }: { rows: Bar[]; total?: number; label: string }) {
  const sum = total ?? rows.reduce((a, b) => a + b.bytes, 0);
  if (rows.length === 0) return <div className="storage-empty">None</div>;
  return (
    <ul className="bars" aria-label={label}>
      {rows.map((row) => {
        const share = sum > 0 ? (row.bytes / sum) * 100 : 0;
        return (
          <li key={row.key} className="bars__row">
            <span className="bars__label" title={row.label}>
              {row.label}
            </span>
            <span className="bars__track" aria-hidden="true">
              <span
                className="bars__fill"
                style={{ width: `${Math.max(share, 0.5)}%`, background: row.color }}
              />
            </span>
            <span className="bars__value">{formatBytes(row.bytes)}</span>
            <span className="bars__share">{share.toFixed(share < 10 ? 1 : 0)} %</span>
            {row.assets !== undefined && <span className="bars__count">{formatCount(row.assets)}</span>}
          </li>
        );
      })}
    </ul>
  );
}

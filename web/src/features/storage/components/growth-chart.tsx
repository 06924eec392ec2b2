/** The last 90 days' daily figures as an SVG area chart: the lake, with derivatives and trash stacked. */

import { formatBytes } from '../../../lib/format';
import type { StorageGrowth } from '../api/storage';

const W = 1200;
const H = 240;
const PAD = { left: 64, right: 12, top: 12, bottom: 24 };

export function GrowthChart({ days }: { days: StorageGrowth['days'] }) {
  if (days.length === 0)
    return (
      <div className="storage-empty" role="note">
        The server records one figure a day; the chart starts with the first.
      </div>
    );
  const series = [
    {
      key: 'bytes',
      label: 'Lake (live)',
      color: '#3d8bfd',
      value: (d: StorageGrowth['days'][number]) => d.bytes,
    },
    {
      key: 'derived',
      label: 'Derivatives',
      color: '#3fb950',
      value: (d: StorageGrowth['days'][number]) => d.derivedBytes,
    },
    {
      key: 'trash',
      label: 'Trash',
      color: '#f0883e',
      value: (d: StorageGrowth['days'][number]) => d.trashedBytes,
    },
  ];
  const stacked = days.map((d) => {
    let base = 0;
    return series.map((s) => {
      const from = base;
      base += s.value(d);
      return [from, base] as const;
    });
  });
  const max = Math.max(1, ...stacked.map((levels) => levels[levels.length - 1]![1])) * 1.1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (days.length === 1 ? innerW / 2 : (i / (days.length - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const last = days[days.length - 1]!;
  return (
    <figure className="growth">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Storage over ${days.length} days`}
        className="growth__svg"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="growth__grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="growth__axis">
              {formatBytes(t)}
            </text>
          </g>
        ))}
        {series.map((s, si) => {
          const top = days.map((_, i) => `${x(i)},${y(stacked[i]![si]![1])}`);
          const bottom = days.map((_, i) => `${x(i)},${y(stacked[i]![si]![0])}`).reverse();
          const points =
            days.length === 1
              ? [`${x(0) - 4},${y(stacked[0]![si]![1])}`, ...top, `${x(0) + 4},${y(stacked[0]![si]![1])}`]
              : top;
          return (
            <g key={s.key}>
              <polygon points={[...points, ...bottom].join(' ')} fill={s.color} fillOpacity={0.35} />
              <polyline points={points.join(' ')} fill="none" stroke={s.color} strokeWidth={1.5} />
            </g>
          );
        })}
        <text x={PAD.left} y={H - 6} className="growth__axis">
          {days[0]!.day}
        </text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end" className="growth__axis">
          {last.day}
        </text>
      </svg>
      <figcaption className="growth__legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} /> {s.label} {formatBytes(s.value(last))}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

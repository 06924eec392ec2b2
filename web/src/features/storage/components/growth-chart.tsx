/** The last 90 days' daily figures as a stacked area chart (Recharts): the lake, derivatives and trash. */
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBytes } from '../../../lib/format';
import type { StorageGrowth } from '../api/storage';

type Day = StorageGrowth['days'][number];

const SERIES = [
  { key: 'bytes', label: 'Lake (live)', color: '#3d8bfd' },
  { key: 'derivedBytes', label: 'Derivatives', color: '#3fb950' },
  { key: 'trashedBytes', label: 'Trash', color: '#f0883e' },
] as const satisfies ReadonlyArray<{ key: keyof Day; label: string; color: string }>;
const AXIS = { fill: 'var(--muted)', fontSize: 11 };

export function GrowthChart({ days }: { days: StorageGrowth['days'] }) {
  if (days.length === 0)
    return (
      <div className="storage-empty" role="note">
        The server records one figure a day; the chart starts with the first.
      </div>
    );
  const last = days[days.length - 1]!;
  return (
    <figure className="growth" aria-label={`Storage over ${days.length} days`}>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={days} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis dataKey="day" tick={AXIS} stroke="var(--border)" minTickGap={48} />
          <YAxis
            tick={AXIS}
            stroke="var(--border)"
            width={72}
            tickFormatter={(v: number) => formatBytes(v)}
          />
          <Tooltip
            formatter={(value) => formatBytes(Number(value))}
            separator=": "
            // The order of the legend (the stack from the bottom), not alphabetical.
            itemSorter={(item) => SERIES.findIndex((s) => s.key === item.dataKey)}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
            labelStyle={{ color: 'var(--text)' }}
          />
          {SERIES.map((s) => (
            <Area
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="storage"
              type="monotone"
              stroke={s.color}
              fill={s.color}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <figcaption className="growth__legend">
        {SERIES.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} /> {s.label} {formatBytes(last[s.key])}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Space per folder (treemap and sortable table), per kind and format, derivatives, volumes, growth. */
import { useMemo, useState } from 'react';
import { formatBytes, formatCount } from '../../../lib/format';
import { type StorageOverview, useStorageGrowth } from '../api/storage';
import { Bars } from './bars';
import { GrowthChart } from './growth-chart';
import { Panel } from './panel';
import { Treemap } from './treemap';

type SortKey = 'name' | 'assets' | 'bytes';
const KIND_COLORS: Record<string, string> = {
  video: '#3d8bfd',
  audio: '#bc8cff',
  image: '#3fb950',
  other: '#8b949e',
};
const DERIVED_LABELS: Record<string, string> = {
  proxy: 'Proxies',
  thumbnail: 'Thumbnails',
  filmstrip: 'Filmstrips',
  'filmstrip.vtt': 'Filmstrip cues',
  waveform: 'Waveforms',
};

export function OverviewPanel({
  data,
  onOpen,
  hrefOf,
}: {
  data: StorageOverview;
  onOpen: (path: string) => void;
  hrefOf: (path: string) => string;
}) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'bytes', desc: true });
  const growth = useStorageGrowth();
  const rows = useMemo(() => {
    const list = [...data.children];
    list.sort((a, b) => {
      const d = sort.key === 'name' ? a.name.localeCompare(b.name) : a[sort.key] - b[sort.key];
      return sort.desc ? -d : d;
    });
    return list;
  }, [data.children, sort]);
  const tiles = [
    ...data.children.map((c) => ({
      id: c.id,
      label: c.name,
      value: c.bytes,
      href: hrefOf(c.path),
      onOpen: () => onOpen(c.path),
    })),
    ...(data.here.bytes > 0 ? [{ id: 'here', label: 'Files in this folder', value: data.here.bytes }] : []),
  ].sort((a, b) => b.value - a.value);
  const header = (key: SortKey, label: string) => (
    <th
      scope="col"
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      className={key === 'name' ? '' : 'num'}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}
      >
        {label}
        {sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
  return (
    <div className="storage-grid">
      <Panel wide title="Space per folder">
        <div className="storage-split">
          <Treemap items={tiles} />
          <div className="storage-table-wrap">
            <table className="storage-table" aria-label="Sub-folders by size">
              <thead>
                <tr>
                  {header('name', 'Folder')}
                  {header('assets', 'Assets')}
                  {header('bytes', 'Size')}
                  <th scope="col" className="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <button type="button" className="link-button" onClick={() => onOpen(c.path)}>
                        {c.name}
                      </button>
                    </td>
                    <td className="num">{formatCount(c.assets)}</td>
                    <td className="num">{formatBytes(c.bytes)}</td>
                    <td className="num">
                      {data.folder.bytes > 0 ? `${((c.bytes / data.folder.bytes) * 100).toFixed(1)} %` : '—'}
                    </td>
                  </tr>
                ))}
                {data.here.assets > 0 && (
                  <tr className="storage-table__here">
                    <td>Files in this folder</td>
                    <td className="num">{formatCount(data.here.assets)}</td>
                    <td className="num">{formatBytes(data.here.bytes)}</td>
                    <td className="num">
                      {data.folder.bytes > 0
                        ? `${((data.here.bytes / data.folder.bytes) * 100).toFixed(1)} %`
                        : '—'}
                    </td>
                  </tr>
                )}
                {rows.length === 0 && data.here.assets === 0 && (
                  <tr>
                    <td colSpan={4} className="storage-empty">
                      No assets here.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </div>
      </Panel>
      <Panel title="By kind">
        <Bars
          label="Space by kind"
          rows={data.kinds.map((k) => ({
            key: k.kind,
            label: k.kind,
            bytes: k.bytes,
            assets: k.assets,
            color: KIND_COLORS[k.kind],
          }))}
        />
        <h3 className="storage-panel__subtitle">By format</h3>
        <Bars
          label="Space by format"
          total={data.folder.bytes}
          rows={data.formats.slice(0, 8).map((f) => ({
            key: f.format,
            label: f.format || '(none)',
            bytes: f.bytes,
            assets: f.assets,
            color: KIND_COLORS[f.kind],
          }))}
        />
      </Panel>
      <Panel
        title="Derivatives"
        note={`${formatBytes(data.derived.bytes)} · ${
          data.folder.bytes + data.derived.bytes > 0
            ? `${((data.derived.bytes / (data.folder.bytes + data.derived.bytes)) * 100).toFixed(1)} % of all`
            : '—'
        }`}
      >
        <Bars
          label="Derivatives by kind"
          rows={data.derived.kinds.map((d) => ({
            key: d.kind,
            label: DERIVED_LABELS[d.kind] ?? d.kind,
            bytes: d.bytes,
            assets: d.assets,
            color: '#3fb950',
          }))}
        />
        <h3 className="storage-panel__subtitle">Edit volumes</h3>
        {data.volumes.length === 0 ? (
          <div className="storage-empty">No edit volume is set up.</div>
        ) : (
          <ul className="volume-bars" aria-label="Edit volumes">
            {data.volumes.map((v) => {
              const total = v.total ?? v.bytes + (v.free ?? 0);
              const used = total > 0 ? (v.bytes / total) * 100 : 0;
              const other =
                v.total !== null && v.free !== null ? ((v.total - v.free - v.bytes) / v.total) * 100 : 0;
              return (
                <li key={v.id}>
                  <div className="volume-bars__head">
                    <strong>{v.name}</strong>
                    <span>
                      Dailies' copies {formatBytes(v.bytes)} ({formatCount(v.assets)}) · free{' '}
                      {formatBytes(v.free)}
                    </span>
                  </div>
                  <div className="volume-bars__track" aria-hidden="true">
                    <span
                      className="volume-bars__dailies"
                      style={{ width: `${Math.max(used, used > 0 ? 0.5 : 0)}%` }}
                    />
                    <span className="volume-bars__other" style={{ width: `${Math.max(other, 0)}%` }} />
                  </div>
                  <div className="volume-bars__legend">
                    <span>
                      <i className="volume-bars__dailies" /> Dailies' copies
                    </span>
                    <span>
                      <i className="volume-bars__other" /> other files
                    </span>
                    <span>
                      <i /> free{v.total ? ` (${((100 * (v.free ?? 0)) / v.total).toFixed(0)} %)` : ''}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Panel>
      <Panel wide title="Growth, last 90 days">
        {growth.data ? (
          <GrowthChart days={growth.data.days} />
        ) : (
          <div className="storage-empty">Loading…</div>
        )}
      </Panel>
    </div>
  );
}

/** Space per folder as a treemap (Recharts lays it out): each folder a tile whose area is its size; a click drills down. */
import { Treemap as RechartsTreemap, ResponsiveContainer, type TreemapNode } from 'recharts';
import { formatBytes } from '../../../lib/format';
import { treemapTiles } from '../lib/treemap-tiles';

export interface TreemapItem {
  id: string;
  label: string;
  value: number;
  /** Drill-down: the link and what a plain click does; none for "files in this folder". */
  href?: string;
  onOpen?: () => void;
}

const COLORS = ['#3d8bfd', '#e0a526', '#3fb950', '#bc8cff', '#f778ba', '#39c5cf', '#f0883e', '#8b949e'];
const HEIGHT = 360;
/** More tiles would be slivers no one can click; the rest share one grey tile. */
const MAX_TILES = 150;

export function Treemap({ items }: { items: TreemapItem[] }) {
  const shown: TreemapItem[] = treemapTiles(items, MAX_TILES);
  if (shown.length === 0)
    return (
      <div className="storage-empty" role="note">
        Nothing stored here yet.
      </div>
    );
  const total = shown.reduce((a, b) => a + b.value, 0);
  // The chart copies its data into nodes; the items themselves (with their callbacks) stay here.
  const byId = new Map(shown.map((item, i) => [item.id, { item, color: colorOf(item, i) }]));
  const tile = (node: TreemapNode) => {
    const found = byId.get(String(node.id));
    // The layout's root node (depth 0) is the chart itself, drawn by the figure's background.
    if (!found || node.depth !== 1) return <g />;
    return <Tile item={found.item} color={found.color} total={total} node={node} />;
  };
  // A figure holding links, not an image: an image's children are not reachable (axe:
  // nested-interactive).
  return (
    <figure className="treemap-figure" aria-label="Space per folder">
      <ResponsiveContainer width="100%" height={HEIGHT} className="treemap">
        <RechartsTreemap
          data={shown.map(({ id, label, value }) => ({ id, label, value }))}
          dataKey="value"
          nameKey="label"
          isAnimationActive={false}
          content={tile}
        />
      </ResponsiveContainer>
    </figure>
  );
}

function Tile({
  item,
  color,
  total,
  node,
}: {
  item: TreemapItem;
  color: string;
  total: number;
  node: TreemapNode;
}) {
  const { x, y, width: w, height: h } = node;
  const big = w > 70 && h > 34;
  const body = (
    <>
      <title>{`${item.label} — ${formatBytes(item.value)} (${((item.value / total) * 100).toFixed(1)} %)`}</title>
      <rect x={x + 1} y={y + 1} width={Math.max(w - 2, 0)} height={Math.max(h - 2, 0)} rx={3} fill={color} />
    </>
  );
  // Drawn beside the tile, not in it: a link's name is its label, and the clipped text on the
  // tile would not match it (axe: label-content-name-mismatch).
  const caption = big && (
    <g pointerEvents="none">
      <text x={x + 8} y={y + 18} className="treemap__label">
        {clip(item.label, w)}
      </text>
      <text x={x + 8} y={y + 32} className="treemap__value">
        {formatBytes(item.value)}
      </text>
    </g>
  );
  const open = item.onOpen;
  if (!item.href || !open)
    return (
      <g className="treemap__tile">
        {body}
        {caption}
      </g>
    );
  return (
    <g>
      <a
        href={item.href}
        className="treemap__tile is-link"
        aria-label={`${item.label}: ${formatBytes(item.value)}`}
        onClick={(event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          open();
        }}
      >
        {body}
      </a>
      {caption}
    </g>
  );
}

/** Folders take the palette in turn; "files in this folder" (no drill-down) is always grey. */
function colorOf(item: TreemapItem, index: number): string {
  return item.onOpen ? COLORS[index % (COLORS.length - 1)]! : COLORS[COLORS.length - 1]!;
}

/** About 7 px per character at the label's size. */
function clip(text: string, width: number): string {
  const room = Math.floor((width - 14) / 7);
  return text.length <= room ? text : `${text.slice(0, Math.max(room - 1, 1))}…`;
}

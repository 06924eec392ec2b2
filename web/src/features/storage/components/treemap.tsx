/** A squarified treemap in SVG: each folder a tile whose area is its size; a click drills down. */
import { formatBytes } from '../../../lib/format';

export interface TreemapItem {
  id: string;
  label: string;
  value: number;
  /** Drill-down: the link and what a plain click does; none for "files in this folder". */
  href?: string;
  onOpen?: () => void;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lays out `values` (sorted, largest first) in `rect` with tiles as square as rows allow. */
export function squarify(values: number[], rect: Rect): Rect[] {
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0 || values.length === 0) return values.map(() => ({ x: rect.x, y: rect.y, w: 0, h: 0 }));
  const scale = (rect.w * rect.h) / total;
  const areas = values.map((v) => v * scale);
  const out: Rect[] = [];
  let free = { ...rect };
  let row: number[] = [];
  const worst = (list: number[], side: number) => {
    const sum = list.reduce((a, b) => a + b, 0);
    const max = Math.max(...list);
    const min = Math.min(...list);
    return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min));
  };
  const place = (list: number[]) => {
    const sum = list.reduce((a, b) => a + b, 0);
    if (free.w >= free.h) {
      const w = sum / free.h;
      let y = free.y;
      for (const a of list) {
        out.push({ x: free.x, y, w, h: a / w });
        y += a / w;
      }
      free = { x: free.x + w, y: free.y, w: free.w - w, h: free.h };
    } else {
      const h = sum / free.w;
      let x = free.x;
      for (const a of list) {
        out.push({ x, y: free.y, w: a / h, h });
        x += a / h;
      }
      free = { x: free.x, y: free.y + h, w: free.w, h: free.h - h };
    }
  };
  for (const area of areas) {
    const side = Math.min(free.w, free.h);
    if (row.length === 0 || worst([...row, area], side) <= worst(row, side)) row.push(area);
    else {
      place(row);
      row = [area];
    }
  }
  if (row.length > 0) place(row);
  return out;
}

const COLORS = ['#3d8bfd', '#e0a526', '#3fb950', '#bc8cff', '#f778ba', '#39c5cf', '#f0883e', '#8b949e'];

export function Treemap({
  items,
  width = 720,
  height = 360,
}: {
  items: TreemapItem[];
  width?: number;
  height?: number;
}) {
  const shown = items.filter((i) => i.value > 0);
  const rects = squarify(
    shown.map((i) => i.value),
    { x: 0, y: 0, w: width, h: height },
  );
  const total = shown.reduce((a, b) => a + b.value, 0);
  if (shown.length === 0)
    return (
      <div className="storage-empty" role="note">
        Nothing stored here yet.
      </div>
    );
  // A figure holding links, not an image: an image's children are not reachable (axe:
  // nested-interactive).
  return (
    <figure className="treemap-figure" aria-label="Space per folder">
      <svg className="treemap" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none">
        <title>Space per folder</title>
        {shown.map((item, i) => {
          const r = rects[i]!;
          const color = item.onOpen ? COLORS[i % (COLORS.length - 1)] : COLORS[COLORS.length - 1];
          const big = r.w > 70 && r.h > 34;
          const body = (
            <>
              <title>{`${item.label} — ${formatBytes(item.value)} (${((item.value / total) * 100).toFixed(1)} %)`}</title>
              <rect
                x={r.x + 1}
                y={r.y + 1}
                width={Math.max(r.w - 2, 0)}
                height={Math.max(r.h - 2, 0)}
                rx={3}
                fill={color}
              />
            </>
          );
          // Drawn beside the tile, not in it: a link's name is its label, and the clipped text
          // on the tile would not match it (axe: label-content-name-mismatch).
          const caption = big && (
            <g pointerEvents="none">
              <text x={r.x + 8} y={r.y + 18} className="treemap__label">
                {clip(item.label, r.w)}
              </text>
              <text x={r.x + 8} y={r.y + 32} className="treemap__value">
                {formatBytes(item.value)}
              </text>
            </g>
          );
          const open = item.onOpen;
          return item.href && open ? (
            <g key={item.id}>
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
          ) : (
            <g key={item.id} className="treemap__tile">
              {body}
              {caption}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** About 7 px per character at the label's size. */
function clip(text: string, width: number): string {
  const room = Math.floor((width - 14) / 7);
  return text.length <= room ? text : `${text.slice(0, Math.max(room - 1, 1))}…`;
}

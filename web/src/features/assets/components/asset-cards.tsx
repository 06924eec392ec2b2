// biome-ignore-all lint/a11y/useSemanticElements: an ARIA grid of cards; no native element is a selectable card.
// biome-ignore-all lint/a11y/useFocusableInteractive: focus stays on the grid (aria-activedescendant), as in the table.
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the grid takes the keys, not each card.
/**
 * The card layout: a thumbnail per asset with its technical summary. Virtualised by rows of
 * cards, so it stays as light as the table on a very large folder.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type HTMLAttributes,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { EmptyState, Skeleton } from '../../../components/feedback';
import { IconFolder, IconUpload } from '../../../components/icons';
import { useSelectionModel } from '../../../components/selection';
import type { Asset } from '../../../lib/api-client';
import { formatDuration } from '../../../lib/format';
import { AssetStatus, KindIcon } from './asset-status';
import { type BrowseRow, isAssetRow, rowId } from './browse-row';
import { useFilmstripScrub } from './filmstrip-scrub';
import './asset-cards.css';
import { useWaveform } from '../api/get-waveform';
import { Waveform } from './waveform';

const CARD_WIDTH = 208;
const CARD_HEIGHT = 250;
const GAP = 12;
const COMPACT_CARD_MIN_WIDTH = 160;

interface AssetCardsProps {
  rows: BrowseRow[];
  rowCount: number;
  loading: boolean;
  selection: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
  onLoadMore: (lastVisible: number, firstMissing: number) => void;
  onActivate: (row: BrowseRow) => void;
  onDelete: (row: BrowseRow) => void;
  onRename: (row: BrowseRow) => void;
  onContextMenu: (row: BrowseRow, position: { x: number; y: number }) => void;
  emptyAction?: ReactNode;
  /** Search results: each card names its folder, which opens it. */
  onOpenFolder?: (path: string) => void;
  empty?: ReactNode;
  /** Narrow windows (the cards reflow by themselves; the prop is shared with the table). */
  compact?: boolean;
  /** Drag a card, drop on a folder card: spread onto the card. */
  rowDragProps?: (row: BrowseRow) => HTMLAttributes<HTMLElement>;
}

export function AssetCards(props: AssetCardsProps) {
  const { rows, rowCount, loading, selection } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);
  // Narrow windows: cards as narrow as 160 px, stretched to fill the line (two on a phone).
  const minWidth = props.compact ? COMPACT_CARD_MIN_WIDTH : CARD_WIDTH;
  const columns = Math.max(1, Math.floor((width - GAP) / (minWidth + GAP)));
  const cardWidth = props.compact ? Math.floor((width - GAP * (columns + 1)) / columns) : undefined;
  const count = loading ? columns * 3 : rowCount;
  const lines = Math.ceil(count / columns);

  const model = useSelectionModel({
    rows,
    rowCount,
    getRowId: rowId,
    isSelectable: isAssetRow,
    selection,
    onSelectionChange: props.onSelectionChange,
  });

  const virtualizer = useVirtualizer({
    count: lines,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_HEIGHT + GAP,
    overscan: 3,
    paddingStart: GAP,
  });
  const items = virtualizer.getVirtualItems();
  const lastLine = items.length > 0 ? items[items.length - 1].index : -1;
  const firstLine = items.length > 0 ? items[0].index : -1;
  const { onLoadMore } = props;
  useEffect(() => {
    if (loading || firstLine < 0) return;
    // Rows may have holes (a jump loads the rows there first): ask for the first one missing.
    const lastVisible = (lastLine + 1) * columns;
    const end = Math.min(rowCount - 1, lastVisible + 60);
    for (let i = firstLine * columns; i <= end; i++)
      if (rows[i] === undefined) {
        onLoadMore(lastVisible, i);
        return;
      }
  }, [firstLine, lastLine, columns, rows, rowCount, loading, onLoadMore]);

  const cardId = (index: number) => `${baseId}-card-${index}`;
  const openMenu = (index: number, event: MouseEvent) => {
    event.preventDefault();
    model.contextRow(index);
    props.onContextMenu(rows[index], { x: event.clientX, y: event.clientY });
  };

  return (
    <div
      ref={scrollRef}
      className="cards"
      role="grid"
      aria-label="Folders and assets"
      aria-multiselectable="true"
      aria-busy={loading}
      tabIndex={0}
      // Only a card that is drawn (its line on screen, its row loaded) has an element to point at.
      aria-activedescendant={
        model.focusIndex >= 0 &&
        rows[model.focusIndex] !== undefined &&
        items.some((item) => item.index === Math.floor(model.focusIndex / columns))
          ? cardId(model.focusIndex)
          : undefined
      }
      onKeyDown={(event) =>
        model.keyDown(event, {
          columns,
          onActivate: props.onActivate,
          onDelete: props.onDelete,
          onRename: props.onRename,
          onMenu: (row, index) => {
            const rect = document.getElementById(cardId(index))?.getBoundingClientRect();
            model.contextRow(index);
            props.onContextMenu(row, { x: (rect?.left ?? 0) + 20, y: (rect?.top ?? 0) + 20 });
          },
          pageRows: 3,
          scrollTo: (index) => virtualizer.scrollToIndex(Math.floor(index / columns)),
        })
      }
    >
      <div className="cards__inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((line) => (
          <div
            key={line.key}
            className="cards__line"
            role="row"
            style={
              {
                transform: `translateY(${line.start}px)`,
                gap: GAP,
                paddingInline: GAP,
                ...(cardWidth ? { '--card-width': `${cardWidth}px` } : {}),
              } as CSSProperties
            }
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = line.index * columns + c;
              if (index >= count) return null;
              const row = loading ? undefined : rows[index];
              if (!row) {
                return (
                  <div key={`pending-${index}`} className="card card--pending" role="gridcell">
                    <div className="card__thumb" />
                    <div className="card__meta">
                      <Skeleton width="80%" />
                      <Skeleton width="50%" />
                    </div>
                  </div>
                );
              }
              const id = rowId(row);
              const selected = selection.has(id);
              return (
                <div
                  key={id}
                  id={cardId(index)}
                  role="gridcell"
                  aria-selected={row.type === 'asset' ? selected : undefined}
                  data-row-id={id}
                  {...props.rowDragProps?.(row)}
                  className={`card ${selected ? 'is-selected' : ''} ${model.focusIndex === index ? 'is-focused' : ''} ${row.type === 'folder' ? 'card--folder' : ''}`}
                  onClick={(event) => model.clickRow(index, event)}
                  onDoubleClick={() => props.onActivate(row)}
                  onContextMenu={(event) => openMenu(index, event)}
                >
                  {row.type === 'folder' ? (
                    <FolderCard name={row.folder.name} onOpen={() => props.onActivate(row)} />
                  ) : (
                    <AssetCard
                      asset={row.asset}
                      selected={selected}
                      onPreview={() => props.onActivate(row)}
                      onCheck={(event) => model.clickCheckbox(index, event)}
                      onOpenFolder={props.onOpenFolder}
                    />
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {!loading &&
        rowCount === 0 &&
        (props.empty ?? (
          <EmptyState icon={<IconUpload size={28} />} title="This folder is empty">
            Drop files or whole folders here, or use Create New to upload.
            {props.emptyAction}
          </EmptyState>
        ))}
    </div>
  );
}

function FolderCard({ name, onOpen }: { name: string; onOpen: () => void }) {
  return (
    <>
      <button
        type="button"
        className="card__thumb card__thumb--folder"
        tabIndex={-1}
        onClick={onOpen}
        aria-label={`Open ${name}`}
      >
        <IconFolder size={48} />
      </button>
      <div className="card__meta">
        <div className="card__name" title={name}>
          {name}
        </div>
        <div className="card__line-text muted">Folder</div>
      </div>
    </>
  );
}

function AssetCard({
  asset,
  selected,
  onPreview,
  onCheck,
  onOpenFolder,
}: {
  asset: Asset;
  selected: boolean;
  onPreview: () => void;
  onCheck: (event: MouseEvent) => void;
  onOpenFolder?: (path: string) => void;
}) {
  const [thumbFailed, setThumbFailed] = useState(false);
  const hasThumb = asset.state === 'ready' && !thumbFailed && asset.kind !== 'audio';
  const scrub = useFilmstripScrub(asset.id, asset.duration, hasThumb && asset.kind === 'video');
  // An audio card shows its sound: the waveform the server made (cards on screen only).
  const waveform = useWaveform(asset.id, asset.kind === 'audio' && asset.derivatives.waveform !== null).data;
  const video = [asset.videoCodec, asset.width && asset.height ? `${asset.width}×${asset.height}` : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      <button
        type="button"
        className="card__thumb"
        tabIndex={-1}
        onClick={(event) => {
          event.stopPropagation();
          onPreview();
        }}
        {...scrub.handlers}
      >
        {/* Named by text, not aria-label: what it shows (the duration) is part of its name. */}
        <span className="visually-hidden">Preview {asset.name}</span>
        {hasThumb ? (
          <img
            src={`/api/assets/${asset.id}/thumbnail?v=${encodeURIComponent(asset.modifiedAt)}`}
            alt=""
            loading="lazy"
            decoding="async"
            onError={() => setThumbFailed(true)}
          />
        ) : waveform ? (
          <span className="card__waveform">
            <Waveform waveform={waveform} label={`Waveform of ${asset.name}`} />
          </span>
        ) : (
          <span className="card__placeholder">
            <KindIcon kind={asset.kind} format={asset.format} />
          </span>
        )}
        {scrub.overlay}
        {asset.duration !== null && <span className="card__duration">{formatDuration(asset.duration)}</span>}
      </button>
      <input
        type="checkbox"
        className="card__check"
        aria-label={`Select ${asset.name}`}
        checked={selected}
        tabIndex={-1}
        onClick={onCheck}
        onChange={() => {}}
      />
      <div className="card__meta">
        <div className="card__name" title={asset.name}>
          {asset.name}
        </div>
        {onOpenFolder && (
          <button
            type="button"
            className="link-button card__folder"
            title={`Open ${asset.folder}`}
            aria-label={`Open folder ${asset.folder}`}
            onClick={(event) => {
              event.stopPropagation();
              onOpenFolder(asset.folder);
            }}
          >
            {asset.folder}
          </button>
        )}
        <div className="card__line-text">
          <span className="card__format">{asset.format}</span>
          <AssetStatus asset={asset} />
        </div>
        {asset.state === 'failed' ? (
          <div className="card__reason" title={asset.stateReason ?? undefined}>
            {asset.stateReason ?? 'Processing failed'}
          </div>
        ) : (
          <dl className="card__specs">
            <dt>Video</dt>
            <dd>{video || '—'}</dd>
            <dt>Audio</dt>
            <dd>
              {asset.audioCodec ?? '—'}
              {asset.audioTracks
                ? ` · ${asset.audioTracks} ${asset.audioTracks === 1 ? 'track' : 'tracks'}`
                : ''}
            </dd>
          </dl>
        )}
      </div>
    </>
  );
}

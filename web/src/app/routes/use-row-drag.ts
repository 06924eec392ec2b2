/**
 * Rows and cards drag onto folders: an asset row carries itself, or the whole selection when it
 * is part of it; a folder row takes the drop (with an indicator) and the assets move there by
 * the same move job as the menu's "Move to Folder".
 */
import { type DragEvent, type HTMLAttributes, useState } from 'react';
import type { BrowseRow } from '../../features/assets/components/browse-row';
import { carriesAssets, droppedAssets, startAssetDrag } from '../../lib/asset-drag';

export type RowDragProps = HTMLAttributes<HTMLElement> & { 'data-drop-target'?: 'true' };

export function useRowDrag(options: {
  selection: ReadonlySet<string>;
  onMove: (ids: string[], to: string) => void;
  /** Off on touch layouts, where a drag is a scroll. */
  enabled: boolean;
}) {
  const [target, setTarget] = useState<string | null>(null);
  return (row: BrowseRow): RowDragProps => {
    if (!options.enabled) return {};
    if (row.type === 'asset') {
      const id = row.asset.id;
      return {
        draggable: true,
        onDragStart: (event: DragEvent) =>
          startAssetDrag(event, options.selection.has(id) ? [...options.selection] : [id]),
      };
    }
    const path = row.folder.path;
    return {
      'data-drop-target': target === path ? 'true' : undefined,
      onDragOver: (event: DragEvent) => {
        if (!carriesAssets(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setTarget(path);
      },
      onDragLeave: () => setTarget((current) => (current === path ? null : current)),
      onDrop: (event: DragEvent) => {
        setTarget(null);
        const ids = droppedAssets(event);
        if (!ids) return;
        event.preventDefault();
        event.stopPropagation();
        options.onMove(ids, path);
      },
    };
  };
}

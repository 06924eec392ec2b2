/**
 * Assets dragged inside the app (rows, cards) onto a folder (in the tree or in the table): the
 * drag carries their ids under a type of its own, so it is never mistaken for files from the
 * desktop, which upload.
 */
import type { DragEvent } from 'react';

export const ASSET_DRAG_TYPE = 'application/x-dailies-assets';

export function startAssetDrag(event: DragEvent, ids: string[]): void {
  event.dataTransfer.setData(ASSET_DRAG_TYPE, JSON.stringify(ids));
  event.dataTransfer.effectAllowed = 'move';
}

export function carriesAssets(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(ASSET_DRAG_TYPE);
}

/** The dragged ids, or null when the drop carries none (or something malformed). */
export function droppedAssets(event: DragEvent): string[] | null {
  try {
    const ids: unknown = JSON.parse(event.dataTransfer.getData(ASSET_DRAG_TYPE) || 'null');
    return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? ids : null;
  } catch {
    return null;
  }
}

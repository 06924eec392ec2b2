/** Files dragged from the desktop onto the folder's content upload into that folder. */
import { type DragEvent, useRef, useState } from 'react';
import { showToast } from '../../components/toasts';
import { filesFromDataTransfer } from '../../features/uploads/api/files-from-drop';
import { enqueueUploads } from '../../features/uploads/api/upload-queue';
import { plural } from '../../lib/format';

// Rows dragged inside the page carry no files: they are moves, handled by the tree and the table.
const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

export function useFileDrop(folder: string) {
  const [dropping, setDropping] = useState(false);
  // Enter and leave fire for every child crossed: count them, so the overlay does not flicker.
  const dragDepth = useRef(0);

  const handlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      dragDepth.current++;
      setDropping(true);
    },
    onDragLeave: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDropping(false);
    },
    onDragOver: (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    },
    onDrop: async (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDropping(false);
      const files = await filesFromDataTransfer(event.dataTransfer);
      if (files.length > 0) {
        enqueueUploads(files, folder);
        showToast('info', `Uploading ${plural(files.length, 'file')} to ${folder}`);
      }
    },
  };
  return { dropping, handlers };
}

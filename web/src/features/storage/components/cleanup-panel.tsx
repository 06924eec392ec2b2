/** Clean-up candidates, one list each with one action on exactly the rows chosen. */
import { type ReactNode, useState } from 'react';
import { showToast, toastError } from '../../../components/toasts';
import { formatBytes, formatDate, formatMoney, plural } from '../../../lib/format';
import {
  type CleanupLists,
  type CleanupRequest,
  type StorageOverview,
  useCleanupAction,
  useCleanupLists,
} from '../api/storage';
import { Panel } from './panel';

interface Row {
  id: string;
  cells: ReactNode[];
  bytes: number;
  volumeId?: string;
}

const folderCell = (path: string | null) => (
  <span key="folder" className="mono">
    {path}
  </span>
);

/** An asset's row in a lake list: its name, its folder, what the list adds, its size. */
function assetRow(
  asset: { id: string; name: string; folderPath: string | null; size: number },
  ...more: ReactNode[]
): Row {
  return {
    id: asset.id,
    bytes: asset.size,
    cells: [asset.name, folderCell(asset.folderPath), ...more, formatBytes(asset.size)],
  };
}

export function CleanupPanel({ overview }: { overview: StorageOverview }) {
  const lists = useCleanupLists(true);
  if (lists.isLoading) return <div className="storage-empty">Looking for what can go…</div>;
  if (lists.error || !lists.data)
    return (
      <div className="storage-empty" role="alert">
        {(lists.error as Error)?.message}
      </div>
    );
  const data: CleanupLists = lists.data;
  const volumeName = (id: string) => overview.volumes.find((v) => v.id === id)?.name ?? id;
  const volumePrice = (id: string) => overview.volumes.find((v) => v.id === id)?.price ?? null;
  const saves = (rows: Row[], price: (row: Row) => number | null) => {
    let total = 0;
    for (const row of rows) {
      const p = price(row);
      if (p === null) return null;
      total += (row.bytes / 1e9) * p;
    }
    return `${formatMoney(total, overview.cost.currency)} a month`;
  };
  const volumeSaves = (rows: Row[]) => saves(rows, (r) => volumePrice(r.volumeId!));
  return (
    <div className="storage-grid">
      <CleanupList
        title={`On an edit volume, untouched for ${data.idleDays} days`}
        list="idle-copies"
        action="Remove from edit volume"
        listed={data.idleCopies}
        head={['Asset', 'Folder', 'Volume', 'Touched', 'Size']}
        rows={data.idleCopies.items.map((c) => ({
          id: `${c.id}|${c.volumeId}`,
          volumeId: c.volumeId,
          bytes: c.copyBytes,
          cells: [
            c.name,
            folderCell(c.folderPath),
            volumeName(c.volumeId),
            formatDate(c.touchedAt),
            formatBytes(c.copyBytes),
          ],
        }))}
        saves={volumeSaves}
      />
      <CleanupList
        title={`Folders idle on a volume for ${data.idleDays} days`}
        list="idle-folders"
        action="Remove from edit volume"
        listed={data.idleFolders}
        head={['Folder', 'Volume', 'Assets', 'Touched', 'Size']}
        rows={data.idleFolders.items.map((f) => ({
          id: `${f.folderId}|${f.volumeId}`,
          volumeId: f.volumeId,
          bytes: f.bytes,
          cells: [
            folderCell(f.path),
            volumeName(f.volumeId),
            String(f.assets),
            formatDate(f.touchedAt),
            formatBytes(f.bytes),
          ],
        }))}
        saves={volumeSaves}
      />
      <CleanupList
        title={`In the trash for over ${data.trashDays} days`}
        list="old-trash"
        action="Empty these from the trash"
        listed={data.oldTrash}
        head={['Asset', 'Deleted from', 'Deleted', 'Size']}
        rows={data.oldTrash.items.map((a) => assetRow(a, formatDate(a.trashedAt)))}
        saves={(rows) => saves(rows, () => overview.cost.lakePrice)}
      />
      <CleanupList
        title="Failed assets"
        list="failed"
        action="Move to the trash"
        listed={data.failed}
        head={['Asset', 'Folder', 'Why', 'Size']}
        rows={data.failed.items.map((a) =>
          assetRow(
            a,
            <span key="reason" className="faint">
              {a.reason}
            </span>,
          ),
        )}
        saves={() => null}
      />
    </div>
  );
}

function CleanupList(props: {
  title: string;
  list: CleanupRequest['list'];
  action: string;
  listed: { total: number; bytes: number };
  head: string[];
  rows: Row[];
  saves: (rows: Row[]) => string | null;
}) {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const act = useCleanupAction();
  const selected = props.rows.filter((r) => chosen.has(r.id));
  const allChosen = props.rows.length > 0 && selected.length === props.rows.length;
  const saving = selected.length > 0 ? props.saves(selected) : null;
  const run = async () => {
    try {
      // Volume lists act per volume: the ids are the asset's (or folder's) before the '|'.
      const byVolume = new Map<string | undefined, string[]>();
      for (const row of selected) {
        const list = byVolume.get(row.volumeId) ?? [];
        list.push(row.id.split('|')[0]!);
        byVolume.set(row.volumeId, list);
      }
      for (const [volumeId, ids] of byVolume)
        await act.mutateAsync({ list: props.list, ids, ...(volumeId ? { volumeId } : {}) });
      setChosen(new Set());
      showToast('success', `${props.action}: ${plural(selected.length, 'item')}`);
    } catch (e) {
      toastError(e, `${props.action} failed`);
    }
  };
  return (
    <Panel
      wide
      title={props.title}
      note={`${plural(props.listed.total, 'item')} · ${formatBytes(props.listed.bytes)}`}
    >
      {props.rows.length === 0 ? (
        <div className="storage-empty">Nothing to clean up here.</div>
      ) : (
        <>
          <div className="storage-table-wrap storage-table-wrap--short">
            <table className="storage-table">
              <thead>
                <tr>
                  <th scope="col" className="check">
                    <input
                      type="checkbox"
                      aria-label="Choose all"
                      checked={allChosen}
                      onChange={() => setChosen(allChosen ? new Set() : new Set(props.rows.map((r) => r.id)))}
                    />
                  </th>
                  {props.head.map((h, i) => (
                    <th key={h} scope="col" className={i === props.head.length - 1 ? 'num' : ''}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.rows.map((row) => (
                  <tr key={row.id} className={chosen.has(row.id) ? 'is-chosen' : ''}>
                    <td className="check">
                      <input
                        type="checkbox"
                        aria-label={`Choose ${String(row.cells[0])}`}
                        checked={chosen.has(row.id)}
                        onChange={() =>
                          setChosen((s) => {
                            const next = new Set(s);
                            if (next.has(row.id)) next.delete(row.id);
                            else next.add(row.id);
                            return next;
                          })
                        }
                      />
                    </td>
                    {row.cells.map((cell, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed
                      <td key={i} className={i === row.cells.length - 1 ? 'num' : ''}>
                        {cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="toolbar">
            <span className="faint">
              {selected.length > 0
                ? `${plural(selected.length, 'item')} chosen · ${formatBytes(selected.reduce((n, r) => n + r.bytes, 0))}${saving ? ` · saves ${saving}` : ''}`
                : 'Choose what to clean up.'}
            </span>
            <div className="toolbar__spacer" />
            <button
              type="button"
              className="button button--danger"
              disabled={selected.length === 0 || act.isPending}
              onClick={() => void run()}
            >
              {props.action}
            </button>
          </div>
        </>
      )}
    </Panel>
  );
}

/** Groups of identical files (xxHash64 and size): choose the copy to keep; the others go to the trash. */
import { useEffect, useState } from 'react';
import { showToast, toastError } from '../../../components/toasts';
import { formatBytes, plural } from '../../../lib/format';
import { useDuplicates, useResolveDuplicates } from '../api/storage';
import { Panel } from './panel';

export function DuplicatesPanel() {
  const duplicates = useDuplicates(true);
  const resolve = useResolveDuplicates();
  // Per group (by checksum): the id kept, and whether the group is part of the action.
  const [keep, setKeep] = useState<Record<string, string>>({});
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const groups = duplicates.data?.groups ?? [];
  useEffect(() => {
    setKeep((k) => {
      const next = { ...k };
      // By default the oldest copy with the shortest name is kept (`copy of …` and `_v2` go).
      for (const g of groups)
        if (!next[g.checksum] || !g.assets.some((a) => a.id === next[g.checksum]))
          next[g.checksum] = [...g.assets].sort((a, b) => a.name.length - b.name.length)[0]!.id;
      return next;
    });
  }, [groups]);
  if (duplicates.isLoading) return <div className="storage-empty">Looking for duplicates…</div>;
  if (duplicates.error)
    return (
      <div className="storage-empty" role="alert">
        {(duplicates.error as Error).message}
      </div>
    );
  if (groups.length === 0)
    return <div className="storage-empty">No duplicates: every file is stored once.</div>;
  const selected = groups.filter((g) => chosen.has(g.checksum));
  const freed = selected.reduce((n, g) => n + (g.assets.length - 1) * g.size, 0);
  return (
    <Panel
      wide
      title="Duplicates"
      note={`${plural(duplicates.data!.total, 'group')} · ${formatBytes(duplicates.data!.bytes)} could be freed`}
    >
      <div className="toolbar">
        <button
          type="button"
          className="button"
          onClick={() => setChosen(new Set(groups.map((g) => g.checksum)))}
        >
          Select all
        </button>
        <div className="toolbar__spacer" />
        <button
          type="button"
          className="button button--danger"
          disabled={selected.length === 0 || resolve.isPending}
          onClick={async () => {
            try {
              const result = await resolve.mutateAsync(
                selected.map((g) => ({
                  keep: keep[g.checksum]!,
                  trash: g.assets.filter((a) => a.id !== keep[g.checksum]).map((a) => a.id),
                })),
              );
              setChosen(new Set());
              showToast('success', `Moving ${plural(result.trash, 'copy', 'copies')} to the trash`);
            } catch (e) {
              toastError(e, 'The duplicates could not be cleaned up');
            }
          }}
        >
          Trash the other copies{selected.length > 0 ? ` (frees ${formatBytes(freed)})` : ''}
        </button>
      </div>
      <ul className="dup-groups">
        {groups.map((g) => (
          <li key={g.checksum} className="dup-group">
            <label className="dup-group__head">
              <input
                type="checkbox"
                checked={chosen.has(g.checksum)}
                onChange={(e) =>
                  setChosen((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(g.checksum);
                    else next.delete(g.checksum);
                    return next;
                  })
                }
              />
              <span>
                {plural(g.assets.length, 'copy', 'copies')} of {formatBytes(g.size)}
              </span>
              <span className="mono faint">xxh64 {g.checksum}</span>
            </label>
            <table className="storage-table">
              <tbody>
                {g.assets.map((a) => (
                  <tr key={a.id}>
                    <td className="dup-keep">
                      <label>
                        <input
                          type="radio"
                          name={`keep-${g.checksum}`}
                          checked={keep[g.checksum] === a.id}
                          onChange={() => setKeep((k) => ({ ...k, [g.checksum]: a.id }))}
                        />{' '}
                        {keep[g.checksum] === a.id ? 'Keep' : 'Trash'}
                      </label>
                    </td>
                    <td>{a.name}</td>
                    <td className="mono">{a.folderPath}</td>
                    <td className="faint">
                      seen by {a.seenBy.filter((s) => s !== '*').join(', ') || 'everyone'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

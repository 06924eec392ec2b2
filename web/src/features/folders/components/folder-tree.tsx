// biome-ignore-all lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA tree pattern on a list.
// biome-ignore-all lint/a11y/useSemanticElements: a tree's branches are role="group", not fieldsets.
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the tree takes the keys (arrows, Enter) for all its items.
/**
 * The folder tree: children load when a branch opens, so a lake with thousands of folders
 * costs one request per opened folder. Used in the sidebar and in the folder picker.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Skeleton } from '../../../components/feedback';
import { FolderAccessBadge } from '../../../components/folder-access';
import { IconChevronDown, IconChevronRight, IconFolder, IconHome } from '../../../components/icons';
import type { Folder } from '../../../lib/api-client';
import { ancestry } from '../../../lib/paths';
import { useFolder } from '../api/get-folder';
import './folder-tree.css';
import { carriesAssets, droppedAssets } from '../../../lib/asset-drag';

interface FolderTreeProps {
  label: string;
  /** The highlighted folder. */
  selected: string;
  onSelect: (path: string) => void;
  /** Branches open at first: the selected folder's ancestors. */
  reveal?: string;
  /** Drop target for assets dragged from the table (`path` gets them). */
  onDropAssets?: (path: string, ids: string[]) => void;
  onContextMenu?: (path: string, position: { x: number; y: number }) => void;
}

export function FolderTree({
  label,
  selected,
  onSelect,
  reveal,
  onDropAssets,
  onContextMenu,
}: FolderTreeProps) {
  const [open, setOpen] = useState<Set<string>>(() => new Set(ancestry(reveal ?? selected)));
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!reveal) return;
    setOpen((current) => {
      const next = new Set(current);
      for (const path of ancestry(reveal)) next.add(path);
      return next;
    });
  }, [reveal]);

  const toggle = (path: string, value?: boolean) =>
    setOpen((current) => {
      const next = new Set(current);
      if (value ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="treeitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const current = items[index];
    const path = current?.dataset.path;
    if (event.key === 'ArrowDown') items[Math.min(items.length - 1, index + 1)]?.focus();
    else if (event.key === 'ArrowUp') items[Math.max(0, index - 1)]?.focus();
    else if (event.key === 'ArrowRight' && path) toggle(path, true);
    else if (event.key === 'ArrowLeft' && path) toggle(path, false);
    else if ((event.key === 'Enter' || event.key === ' ') && path) onSelect(path);
    else return;
    event.preventDefault();
  };

  const shared = { open, toggle, selected, onSelect, onDropAssets, onContextMenu };
  return (
    <ul ref={ref} className="tree" role="tree" aria-label={label} onKeyDown={onKeyDown}>
      <TreeNode path="/" name="All media" depth={0} {...shared} />
    </ul>
  );
}

interface NodeProps {
  path: string;
  name: string;
  /** Who can see the folder (from its parent's listing); the root has none. */
  access?: Folder['access'];
  depth: number;
  open: Set<string>;
  toggle: (path: string, value?: boolean) => void;
  selected: string;
  onSelect: (path: string) => void;
  onDropAssets?: (path: string, ids: string[]) => void;
  onContextMenu?: (path: string, position: { x: number; y: number }) => void;
}

function TreeNode(props: NodeProps) {
  const { path, name, depth, open, toggle, selected, onSelect, onDropAssets, onContextMenu } = props;
  const expanded = open.has(path);
  const { data, isLoading } = useFolder(path, { enabled: expanded });
  const [dropping, setDropping] = useState(false);
  const leaf = data !== undefined && data.children.length === 0;
  return (
    <li role="none">
      <div
        role="treeitem"
        tabIndex={selected === path ? 0 : -1}
        aria-expanded={leaf ? undefined : expanded}
        aria-selected={selected === path}
        aria-level={depth + 1}
        data-path={path}
        className={`tree__item ${selected === path ? 'is-selected' : ''} ${dropping ? 'is-drop-target' : ''}`}
        style={{ paddingLeft: 6 + depth * 14 }}
        onClick={() => onSelect(path)}
        onContextMenu={(event) => {
          if (!onContextMenu || path === '/') return;
          event.preventDefault();
          onContextMenu(path, { x: event.clientX, y: event.clientY });
        }}
        onDragOver={(event) => {
          if (!onDropAssets || !carriesAssets(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
          setDropping(true);
        }}
        onDragLeave={() => setDropping(false)}
        onDrop={(event) => {
          setDropping(false);
          const ids = droppedAssets(event);
          if (!ids || !onDropAssets) return;
          event.preventDefault();
          event.stopPropagation();
          onDropAssets(path, ids);
        }}
      >
        <button
          type="button"
          className="tree__toggle"
          tabIndex={-1}
          aria-hidden="true"
          onClick={(event) => {
            event.stopPropagation();
            toggle(path);
          }}
          style={{ visibility: leaf ? 'hidden' : 'visible' }}
        >
          {expanded ? <IconChevronDown size={12} /> : <IconChevronRight size={12} />}
        </button>
        <span className="tree__icon">{path === '/' ? <IconHome /> : <IconFolder />}</span>
        <span className="tree__name">{name}</span>
        {props.access && <FolderAccessBadge access={props.access} compact />}
      </div>
      {expanded && (
        <ul role="group" className="tree__group">
          {isLoading && (
            <li role="none" className="tree__loading" style={{ paddingLeft: 26 + depth * 14 }}>
              <Skeleton width="60%" />
            </li>
          )}
          {data?.children.map((child) => (
            <TreeNode
              key={child.path}
              {...props}
              path={child.path}
              name={child.name}
              access={child.access}
              depth={depth + 1}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

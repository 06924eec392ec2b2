/**
 * The main view's toolbar: actions on the selection, Create New / Create Folder (not on the
 * search screen), the lake-wide search box, the layout switch and Settings for admins.
 */
import {
  IconDownload,
  IconEdit,
  IconFolderPlus,
  IconGrid,
  IconMore,
  IconRetry,
  IconSettings,
  IconTable,
  IconTrash,
  IconUpload,
  IconVolume,
} from '../../components/icons';
import { SearchBox } from '../../features/search/components/search-box';
import type { Asset } from '../../lib/api-client';
import { navigate } from '../../lib/router';

interface BrowseToolbarProps {
  selected: Asset[];
  isAdmin: boolean;
  isSearch: boolean;
  view: 'table' | 'cards';
  q: string;
  hasVolumes: boolean;
  onDownload: () => void;
  onDelete: () => void;
  onRetry: () => void;
  /** Opens the Log menu (the selection's logging fields, the script supervisor's CSV) under the button. */
  onLogMenu: (position: { x: number; y: number }) => void;
  /** Opens the Copy / Remove menu under the button. */
  onVolumeMenu: (position: { x: number; y: number }) => void;
  onUpload: () => void;
  onCreateFolder: () => void;
  onSearch: (q: string) => void;
  onView: (view: 'table' | 'cards') => void;
  /** Narrow windows: the search box and one menu holding every action (`onMenu` opens it). */
  compact?: boolean;
  onMenu?: (position: { x: number; y: number }) => void;
}

/** The two ways the assets can be laid out, as the segmented control offers them. */
const LAYOUTS = [
  { view: 'table', label: 'Table layout', Icon: IconTable },
  { view: 'cards', label: 'Card layout', Icon: IconGrid },
] as const;

export function BrowseToolbar(props: BrowseToolbarProps) {
  const none = props.selected.length === 0;
  if (props.compact)
    return (
      <div className="toolbar toolbar--compact" role="toolbar" aria-label="Actions">
        <SearchBox value={props.q} onSearch={props.onSearch} />
        <button
          type="button"
          className="button toolbar__menu"
          aria-haspopup="menu"
          aria-label={none ? 'Actions' : `Actions for ${props.selected.length} selected`}
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            props.onMenu?.({ x: box.right - 240, y: box.bottom + 4 });
          }}
        >
          <IconMore /> {none ? 'Actions' : `${props.selected.length} selected`}
        </button>
      </div>
    );
  return (
    <div className="toolbar" role="toolbar" aria-label="Actions">
      <div className="toolbar__group">
        <button type="button" className="button" disabled={none} onClick={props.onDownload}>
          <IconDownload /> Download
        </button>
        <button type="button" className="button" disabled={none} onClick={props.onDelete}>
          <IconTrash /> Delete
        </button>
      </div>
      <div className="toolbar__group">
        <button
          type="button"
          className="button"
          title="Process the selected assets again"
          disabled={none}
          onClick={props.onRetry}
        >
          <IconRetry /> Retry
        </button>
        <button
          type="button"
          className="button"
          aria-haspopup="menu"
          title="Scene, take, circled and notes: of the selected assets, or from the script supervisor's CSV"
          disabled={none && props.isSearch}
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            props.onLogMenu({ x: box.left, y: box.bottom + 4 });
          }}
        >
          <IconEdit /> Log ▾
        </button>
        {props.hasVolumes && (
          <button
            type="button"
            className="button"
            aria-haspopup="menu"
            title="Copy the selected assets to an edit volume, or remove their copies"
            disabled={none}
            onClick={(event) => {
              const box = event.currentTarget.getBoundingClientRect();
              props.onVolumeMenu({ x: box.left, y: box.bottom + 4 });
            }}
          >
            <IconVolume /> Edit Volume ▾
          </button>
        )}
      </div>
      {!props.isSearch && (
        <div className="toolbar__group">
          <button type="button" className="button button--primary" onClick={props.onUpload}>
            <IconUpload /> Create New
          </button>
          <button type="button" className="button" onClick={props.onCreateFolder}>
            <IconFolderPlus /> Create Folder
          </button>
        </div>
      )}
      <div className="toolbar__spacer" />
      <SearchBox value={props.q} onSearch={props.onSearch} />
      <fieldset className="segmented" aria-label="Layout">
        {LAYOUTS.map(({ view, label, Icon }) => (
          <button
            key={view}
            type="button"
            className={props.view === view ? 'is-active' : ''}
            aria-pressed={props.view === view}
            aria-label={label}
            title={label}
            onClick={() => props.onView(view)}
          >
            <Icon />
          </button>
        ))}
      </fieldset>
      {props.isAdmin && (
        // An icon, named for screen readers and on hover: with the edit volumes' menu the
        // labelled link pushed itself onto a second row at 1440 px.
        <a
          className="button"
          href="/admin/settings"
          aria-label="Settings"
          title="Settings: the content lake and the edit volumes"
          onClick={(event) => {
            event.preventDefault();
            navigate('/admin/settings');
          }}
        >
          <IconSettings />
        </a>
      )}
    </div>
  );
}

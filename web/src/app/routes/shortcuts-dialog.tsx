/** `?`: the keyboard shortcuts of the media view and the preview. */
import { Dialog } from '../../components/dialog';
import './shortcuts-dialog.css';

const GROUPS: Array<{ title: string; keys: Array<[string, string]> }> = [
  {
    title: 'Anywhere in the media view',
    keys: [
      ['/', 'Search the lake'],
      ['?', 'Show these shortcuts'],
    ],
  },
  {
    title: 'In the table and the cards',
    keys: [
      ['↑ ↓ ← →', 'Move between rows'],
      ['Shift + ↑ ↓', 'Extend the selection'],
      ['Space', 'Select or unselect'],
      ['Ctrl + A', 'Select all'],
      ['Enter', 'Open the folder or preview the asset'],
      ['F2', 'Rename'],
      ['Delete', 'Move to the trash'],
      ['Shift + F10 or Menu', 'Actions for the row'],
      ['Escape', 'Clear the selection'],
    ],
  },
  {
    title: 'In the preview',
    keys: [
      ['Space or K', 'Play or pause'],
      ['← →  or  , .', 'One frame back or forward'],
      ['Page Up / Page Down', 'Previous or next asset'],
      ['Escape', 'Close the preview'],
    ],
  },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} wide>
      {GROUPS.map((group) => (
        <section key={group.title} className="shortcuts">
          <h3 className="shortcuts__title">{group.title}</h3>
          <dl className="shortcuts__list">
            {group.keys.map(([keys, what]) => (
              <div key={keys} className="shortcuts__row">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}

/** Notes at a timecode as markers on the player's timeline: click one to go to its frame. */
import type { AssetNote } from '../api/notes';
import './notes.css';

interface MarkersProps {
  notes: AssetNote[];
  /** Seconds the proxy lasts: where 100 % of the strip is. */
  duration: number;
  selected: string | null;
  onJump: (note: AssetNote) => void;
}

export function NoteMarkers({ notes, duration, selected, onJump }: MarkersProps) {
  const placed = notes.filter((n) => n.seconds !== null);
  if (placed.length === 0 || !(duration > 0)) return null;
  const at = (seconds: number) => `${Math.min(100, Math.max(0, (seconds / duration) * 100))}%`;
  return (
    <ul className="note-markers" aria-label="Notes on the timeline" data-testid="note-markers">
      {placed.map((note) => (
        <li
          key={note.id}
          className={`note-marker ${note.endSeconds !== null ? 'note-marker--range' : ''} ${selected === note.id ? 'note-marker--selected' : ''}`}
          style={{
            left: at(note.seconds!),
            ...(note.endSeconds !== null
              ? { width: `calc(${at(note.endSeconds)} - ${at(note.seconds!)})` }
              : {}),
          }}
        >
          <button
            type="button"
            className="note-marker__button"
            title={`${note.timecode} · ${note.author.name}: ${note.text}`}
            aria-label={`Note at ${note.timecode} by ${note.author.name}: ${note.text}`}
            onClick={() => onJump(note)}
          />
        </li>
      ))}
    </ul>
  );
}

/**
 * Notes beside the preview: add one at the frame on screen (or on the whole clip), read them in
 * timeline order, jump to one, and edit or delete your own (admins: any).
 */
import { type FormEvent, useState } from 'react';
import { formatDate } from '../../../lib/format';
import { type AssetNote, type NotesList, useNoteActions } from '../api/notes';
import './notes.css';

interface NotesProps {
  assetId: string;
  notes: NotesList | undefined;
  /** The frame on screen (from the clip's first frame) and its label; null without a player. */
  current: { frame: number; timecode: string } | null;
  selected: string | null;
  onJump: (note: AssetNote) => void;
}

export function AssetNotes({ assetId, notes, current, selected, onJump }: NotesProps) {
  const { add, change, remove } = useNoteActions(assetId);
  const [text, setText] = useState('');
  const [atFrame, setAtFrame] = useState(true);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const canPlace = current !== null && notes?.timing !== null && notes !== undefined;
  const error = add.error ?? change.error ?? remove.error;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    await add.mutateAsync({ text, ...(canPlace && atFrame ? { frame: current.frame } : {}) });
    setText('');
  };

  return (
    <section className="notes" aria-label="Notes">
      <h3 className="notes__title">Notes{notes ? ` (${notes.notes.length})` : ''}</h3>
      <form className="notes__form" onSubmit={submit}>
        <textarea
          className="input notes__input"
          aria-label="New note"
          placeholder="Add a note…"
          rows={2}
          maxLength={10_000}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <div className="notes__form-row">
          {canPlace && (
            <label className="notes__at">
              <input
                type="checkbox"
                checked={atFrame}
                onChange={(e) => setAtFrame(e.currentTarget.checked)}
              />{' '}
              at <span className="mono">{current.timecode}</span>
            </label>
          )}
          <button type="submit" className="button button--primary" disabled={add.isPending || !text.trim()}>
            Add note
          </button>
        </div>
      </form>
      {error && (
        <p className="form__error" role="alert">
          {(error as Error).message}
        </p>
      )}
      <ol className="notes__list">
        {notes?.notes.map((note) => (
          <li key={note.id} className={`notes__item ${selected === note.id ? 'notes__item--selected' : ''}`}>
            <div className="notes__meta">
              {note.timecode !== null ? (
                <button
                  type="button"
                  className="link-button mono"
                  aria-label={`Go to ${note.timecode}`}
                  onClick={() => onJump(note)}
                >
                  {note.timecode}
                  {note.endTimecode ? `–${note.endTimecode}` : ''}
                </button>
              ) : (
                <span className="notes__whole">whole clip</span>
              )}
              <span className="notes__author">{note.author.name}</span>
              <time dateTime={note.createdAt}>{formatDate(note.createdAt)}</time>
            </div>
            {editing?.id === note.id ? (
              <form
                className="notes__form"
                onSubmit={async (e) => {
                  e.preventDefault();
                  await change.mutateAsync({ id: note.id, text: editing.text });
                  setEditing(null);
                }}
              >
                <textarea
                  className="input notes__input"
                  aria-label="Note text"
                  rows={2}
                  value={editing.text}
                  onChange={(e) => setEditing({ id: note.id, text: e.currentTarget.value })}
                />
                <div className="notes__form-row">
                  <button type="button" className="button" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                  <button type="submit" className="button button--primary" disabled={!editing.text.trim()}>
                    Save
                  </button>
                </div>
              </form>
            ) : (
              <p className="notes__text">{note.text}</p>
            )}
            {note.canEdit && editing?.id !== note.id && (
              <div className="notes__actions">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setEditing({ id: note.id, text: note.text })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Delete the note “${note.text.slice(0, 40)}”`}
                  onClick={() => remove.mutate(note.id)}
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

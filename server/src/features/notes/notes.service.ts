import { randomUUID } from 'node:crypto';
import { Forbidden, Invalid, NotFound } from '../../lib/errors.js';
import { framesToSeconds, framesToTimecode, rateText, timecodeToFrames } from '../../lib/timecode.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { Note } from '../../ports/notes.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import { type ClipTiming, clipTiming } from './clip-timing.js';

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
}

export const NOTE_MAX_LENGTH = 10_000;

/** Where a note sits: frames from the first frame, or a timecode in the clip's source timecode. */
export interface NotePositionInput {
  frame?: number | null;
  endFrame?: number | null;
  timecode?: string | null;
  endTimecode?: string | null;
}

export interface NoteInput extends NotePositionInput {
  text: string;
}

export interface NoteView {
  id: string;
  assetId: string;
  text: string;
  frame: number | null;
  endFrame: number | null;
  /** The frame's label in the clip's source timecode (`;` before the frames when drop-frame). */
  timecode: string | null;
  endTimecode: string | null;
  /** Seconds from the clip's first frame, for the player. */
  seconds: number | null;
  endSeconds: number | null;
  author: { id: string | null; name: string };
  createdAt: string;
  updatedAt: string;
  /** Whether the caller may edit or delete it (its author, or an admin). */
  canEdit: boolean;
}

export interface NotesList {
  /** How the asset counts frames; null when it has no video rate (notes then have no position). */
  timing: { rate: string; dropFrame: boolean; startTimecode: string; frames: number | null } | null;
  notes: NoteView[];
}

/**
 * Notes on an asset: whoever may see the asset reads and adds them; only the author (or an
 * admin) edits or deletes one. A note on an asset the caller cannot see is not found. Every
 * change is audited and announced to those who may see the asset (`note.*` events).
 */
export class NotesService {
  constructor(private readonly deps: Deps) {}

  async list(actor: Actor, assetId: string): Promise<NotesList> {
    const { asset } = await this.visibleAsset(actor, assetId);
    const timing = await this.timingOf(asset);
    const notes = await this.deps.catalog.notes.forAssets([asset.id]);
    return {
      timing: timing && {
        rate: rateText(timing.rate),
        dropFrame: timing.dropFrame,
        startTimecode: framesToTimecode(timing.startFrame, timing.rate, timing.dropFrame),
        frames: timing.frames,
      },
      notes: sortForReading(notes).map((n) => view(n, timing, actor)),
    };
  }

  async add(actor: Actor, assetId: string, input: NoteInput): Promise<NoteView> {
    const { asset, folderPath } = await this.visibleAsset(actor, assetId);
    const timing = await this.timingOf(asset);
    const body = checkText(input.text);
    const position = resolvePosition(input, timing);
    const now = this.deps.clock.now();
    const note: Note = {
      id: randomUUID(),
      assetId: asset.id,
      authorId: actor.id,
      authorName: actor.username,
      body,
      ...position,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.catalog.notes.add(note);
    await this.deps.audit.record(actor, 'note.add', { type: 'asset', id: asset.id }, auditDetail(note));
    this.deps.events.publish({ type: 'note.added', assetId: asset.id, noteId: note.id, folderPath });
    return view(note, timing, actor);
  }

  /**
   * `text` and the position each change only when given: a new start (frame or timecode) makes
   * the note a point unless an end comes with it, an end alone keeps the start, `frame: null`
   * takes the note off the timeline.
   */
  async update(actor: Actor, noteId: string, input: Partial<NoteInput>): Promise<NoteView> {
    const { note, asset, folderPath } = await this.editable(actor, noteId);
    const timing = await this.timingOf(asset);
    const moves = ['frame', 'endFrame', 'timecode', 'endTimecode'].some(
      (key) => input[key as keyof NotePositionInput] !== undefined,
    );
    const patch = {
      ...(input.text !== undefined ? { body: checkText(input.text) } : {}),
      ...(moves ? resolvePosition(keepStart(input, note, timing), timing) : {}),
      updatedAt: this.deps.clock.now(),
    };
    if (!(await this.deps.catalog.notes.update(note.id, patch)))
      throw new NotFound('The note was not found.');
    const changed = { ...note, ...patch };
    await this.deps.audit.record(
      actor,
      'note.edit',
      { type: 'asset', id: asset.id },
      {
        ...auditDetail(changed),
        before: auditDetail(note),
      },
    );
    this.deps.events.publish({ type: 'note.changed', assetId: asset.id, noteId: note.id, folderPath });
    return view(changed, timing, actor);
  }

  async remove(actor: Actor, noteId: string): Promise<void> {
    const { note, asset, folderPath } = await this.editable(actor, noteId);
    if (!(await this.deps.catalog.notes.delete(note.id))) throw new NotFound('The note was not found.');
    await this.deps.audit.record(actor, 'note.delete', { type: 'asset', id: asset.id }, auditDetail(note));
    this.deps.events.publish({ type: 'note.deleted', assetId: asset.id, noteId: note.id, folderPath });
  }

  /** Timing of an asset, for the bins export and the views. */
  async timingOf(asset: Asset): Promise<ClipTiming | null> {
    const metadata = await this.deps.catalog.processing.getMetadata(asset.id);
    return clipTiming(asset, metadata?.record ?? null);
  }

  private async visibleAsset(actor: Actor, assetId: string): Promise<{ asset: Asset; folderPath: string }> {
    const { assets, folderPaths } = await loadVisibleAssets(this.deps.catalog, this.deps.access, actor, [
      assetId,
    ]);
    return { asset: assets[0], folderPath: folderPaths.get(assets[0].folderId)! };
  }

  /** The note and its asset, when the caller may see them; Forbidden unless they may change it. */
  private async editable(actor: Actor, noteId: string) {
    const note = await this.deps.catalog.notes.get(noteId);
    if (!note) throw new NotFound('The note was not found.');
    const { assets, folderPaths } = await loadVisibleAssets(
      this.deps.catalog,
      this.deps.access,
      actor,
      [note.assetId],
      { require: false },
    );
    // A note on an asset the caller cannot see (or one in the trash) is as missing as no note.
    if (assets.length === 0) throw new NotFound('The note was not found.');
    if (note.authorId !== actor.id && !isAdmin(actor))
      throw new Forbidden('Only the note’s author or an admin may change or delete it.');
    return { note, asset: assets[0], folderPath: folderPaths.get(assets[0].folderId)! };
  }
}

/** Notes at a position first, in timeline order, then the others, oldest first. */
export function sortForReading(notes: Note[]): Note[] {
  return [...notes].sort((a, b) => {
    if (a.frame !== null && b.frame !== null) return a.frame - b.frame || a.createdAt - b.createdAt;
    if (a.frame !== null) return -1;
    if (b.frame !== null) return 1;
    return a.createdAt - b.createdAt;
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkText(text: string): string {
  const body = text.normalize('NFC').trim();
  if (body.length === 0) throw new Invalid('A note needs some text.');
  if (body.length > NOTE_MAX_LENGTH) throw new Invalid(`A note holds at most ${NOTE_MAX_LENGTH} characters.`);
  // NUL is no text PostgreSQL stores, and the others hide in exports.
  if (CONTROLS.test(body))
    throw new Invalid('A note cannot contain control characters (other than line breaks and tabs).');
  return body;
}

/** Frames from the first frame, from frames or from source timecodes; checked against the clip. */
function resolvePosition(
  input: NotePositionInput,
  timing: ClipTiming | null,
): Pick<Note, 'frame' | 'endFrame'> {
  const byFrame = input.frame !== undefined || input.endFrame !== undefined;
  const byTimecode = input.timecode !== undefined || input.endTimecode !== undefined;
  if (byFrame && byTimecode) throw new Invalid('Give a note’s position as frames or as timecodes, not both.');
  const frame = byTimecode ? fromTimecode(input.timecode ?? null, timing) : (input.frame ?? null);
  const endFrame = byTimecode ? fromTimecode(input.endTimecode ?? null, timing) : (input.endFrame ?? null);
  if (frame === null) {
    if (endFrame !== null) throw new Invalid('A range needs where it starts as well as where it ends.');
    return { frame: null, endFrame: null };
  }
  if (!timing)
    throw new Invalid('This asset has no video frame rate, so a note on it cannot be at a timecode.');
  if (!Number.isSafeInteger(frame) || frame < 0)
    throw new Invalid('A note’s frame is a whole number from 0.');
  if (endFrame !== null && (!Number.isSafeInteger(endFrame) || endFrame <= frame))
    throw new Invalid('A range ends after it starts.');
  const last = timing.frames;
  if (last !== null && (frame >= Math.max(last, 1) || (endFrame !== null && endFrame > Math.max(last, 1))))
    throw new Invalid(`The clip has ${last} frames: a note must lie within them.`);
  return { frame, endFrame };
}

/** An end given without a start keeps the note's start. */
function keepStart(input: NotePositionInput, note: Note, timing: ClipTiming | null): NotePositionInput {
  if (input.frame !== undefined || input.timecode !== undefined) return input;
  const endFrame =
    input.endTimecode !== undefined
      ? fromTimecode(input.endTimecode ?? null, timing)
      : (input.endFrame ?? null);
  return { frame: note.frame, endFrame };
}

function fromTimecode(timecode: string | null, timing: ClipTiming | null): number | null {
  if (timecode === null) return null;
  if (!timing)
    throw new Invalid('This asset has no video frame rate, so a note on it cannot be at a timecode.');
  const at = timecodeToFrames(timecode, timing.rate, timing.dropFrame);
  if (at === null)
    throw new Invalid(
      `"${timecode.slice(0, 40)}" is not a timecode of this clip (HH:MM:SS${timing.dropFrame ? ';' : ':'}FF at ${rateText(timing.rate)}).`,
    );
  const frame = at - timing.startFrame;
  if (frame < 0) throw new Invalid(`The timecode ${timecode} is before the clip starts.`);
  return frame;
}

function view(note: Note, timing: ClipTiming | null, actor: Actor): NoteView {
  const label = (frame: number | null) =>
    frame === null || !timing
      ? null
      : framesToTimecode(timing.startFrame + frame, timing.rate, timing.dropFrame);
  const seconds = (frame: number | null) =>
    frame === null || !timing ? null : framesToSeconds(frame, timing.rate);
  return {
    id: note.id,
    assetId: note.assetId,
    text: note.body,
    frame: note.frame,
    endFrame: note.endFrame,
    timecode: label(note.frame),
    endTimecode: label(note.endFrame),
    seconds: seconds(note.frame),
    endSeconds: seconds(note.endFrame),
    author: { id: note.authorId, name: note.authorName },
    createdAt: new Date(note.createdAt).toISOString(),
    updatedAt: new Date(note.updatedAt).toISOString(),
    canEdit: note.authorId === actor.id || isAdmin(actor),
  };
}

function auditDetail(note: Note): Record<string, unknown> {
  return { noteId: note.id, frame: note.frame, endFrame: note.endFrame, text: note.body.slice(0, 500) };
}

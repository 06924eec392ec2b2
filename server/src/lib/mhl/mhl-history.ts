import { c4Of, type SchemaFormat } from './hash-formats.js';
import {
  type MhlChainEntry,
  type MhlGeneration,
  parseChain,
  parseGeneration,
  type RecordedValue,
} from './mhl-document.js';
import { CHAIN_FILE, HISTORY_FOLDER } from './mhl-paths.js';
import { XmlRefused } from './xml-tree.js';

/**
 * Where a history is read from: the bytes of a file by its path under the history's root
 * folder (`ascmhl/ascmhl_chain.xml`, `A002R2EC/ascmhl/0001_….mhl`), null when it is not there.
 * The source refuses files larger than it allows (`HistoryTooLarge`).
 */
export type HistorySource = (path: string) => Promise<Uint8Array | null>;

/** Thrown by a source for a file larger than a history file may be. */
export class HistoryTooLarge extends Error {
  constructor(path: string, limit: number) {
    super(`"${path}" is larger than ${Math.round(limit / 1048576)} MiB; an MHL file that large is not read.`);
    this.name = 'HistoryTooLarge';
  }
}

/** One generation of a history, as read and checked against the chain. */
export interface HistoryGeneration extends MhlChainEntry {
  generation: MhlGeneration;
}

/** A history: its generations, the histories nested in it, what could not be read. */
export interface MhlHistory {
  /** The root of this history under the top one ('' for the top). */
  root: string;
  generations: HistoryGeneration[];
  children: MhlHistory[];
  problems: string[];
}

/** Nested histories deeper than this are not followed (cards in reels in days is 3). */
const MAX_NESTING = 8;

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlRefused(`"${path}" is not UTF-8 text.`);
  }
}

function join(root: string, path: string): string {
  return root ? `${root}/${path}` : path;
}

/**
 * Reads the history at the source's root: the chain, every generation it lists (each checked
 * against the chain's C4 id, so a generation edited afterwards is reported), and the nested
 * histories its generations reference. Returns null when there is no chain.
 */
export async function readHistory(source: HistorySource, root = '', depth = 0): Promise<MhlHistory | null> {
  const chainPath = join(root, `${HISTORY_FOLDER}/${CHAIN_FILE}`);
  const chainBytes = await source(chainPath);
  if (!chainBytes) return null;
  const history: MhlHistory = { root, generations: [], children: [], problems: [] };
  let chain: MhlChainEntry[];
  try {
    const parsed = parseChain(decode(chainBytes, chainPath));
    chain = parsed.entries;
    history.problems.push(...parsed.problems.map((p) => `${chainPath}: ${p}`));
  } catch (error) {
    history.problems.push(`${chainPath}: ${(error as Error).message}`);
    return history;
  }
  const childRoots = new Set<string>();
  for (const entry of chain) {
    const path = join(root, `${HISTORY_FOLDER}/${entry.path}`);
    let bytes: Uint8Array | null;
    try {
      bytes = await source(path);
    } catch (error) {
      history.problems.push(`${path}: ${(error as Error).message}`);
      continue;
    }
    if (!bytes) {
      history.problems.push(`Generation ${entry.sequence} (${path}) is listed in the chain but missing.`);
      continue;
    }
    if (c4Of(bytes) !== entry.c4)
      history.problems.push(
        `Generation ${entry.sequence} (${path}) differs from what the chain recorded (its C4 id changed).`,
      );
    try {
      const generation = parseGeneration(decode(bytes, path));
      history.problems.push(...generation.problems.map((p) => `${path}: ${p}`));
      history.generations.push({ ...entry, generation });
      for (const ref of generation.references) {
        const at = ref.path.indexOf(`/${HISTORY_FOLDER}/`);
        // A reference names a generation inside a subfolder's own ascmhl folder.
        if (at <= 0 || ref.path.slice(at + HISTORY_FOLDER.length + 2).includes('/')) {
          history.problems.push(
            `${path}: a reference to "${ref.path}" is not a nested history's generation.`,
          );
          continue;
        }
        const child = join(root, ref.path.slice(0, at));
        const refBytes = await source(join(root, ref.path)).catch(() => null);
        if (!refBytes) history.problems.push(`${path}: the nested generation "${ref.path}" is missing.`);
        else if (c4Of(refBytes) !== ref.c4)
          history.problems.push(
            `${path}: the nested generation "${ref.path}" differs from what was recorded.`,
          );
        childRoots.add(child);
      }
    } catch (error) {
      history.problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  for (const child of childRoots) {
    if (depth + 1 >= MAX_NESTING) {
      history.problems.push(`Histories nested deeper than ${MAX_NESTING} were not read.`);
      break;
    }
    const nested = await readHistory(source, child, depth + 1);
    if (nested) history.children.push(nested);
    else history.problems.push(`The nested history of "${child}" has no ${CHAIN_FILE}.`);
  }
  return history;
}

/** What a history says a file must be: for each format, the value to compare with. */
export interface RecordedFile {
  /** Path under the top history's root. */
  path: string;
  size: number | null;
  values: Partial<Record<SchemaFormat, string>>;
  /** The generation (of its own history) that last recorded the file. */
  lastSequence: number;
  /** Root of the history that records it ('' for the top). */
  historyRoot: string;
  /** Whether the newest record of the file was a failed verification. */
  lastFailed: boolean;
}

/**
 * The files a history records, and what each must hash to. Through the generations in order, an
 * `original` sets a format's value (a file legitimately replaced), a `verified` confirms it (or
 * adds a format first hashed then, as when MD5 joins xxh64), and a `failed` changes nothing:
 * the value a failed copy produced is evidence of the failure, not the file's reference.
 */
export function recordedFiles(history: MhlHistory): Map<string, RecordedFile> {
  const out = new Map<string, RecordedFile>();
  const visit = (h: MhlHistory) => {
    for (const { sequence, generation } of h.generations) {
      for (const entry of generation.files) {
        const path = join(h.root, entry.path);
        const file = out.get(path) ?? {
          path,
          size: null,
          values: {},
          lastSequence: sequence,
          historyRoot: h.root,
          lastFailed: false,
        };
        let failed = false;
        for (const [format, recorded] of Object.entries(entry.values) as Array<
          [SchemaFormat, RecordedValue]
        >) {
          if (recorded.action === 'failed') {
            failed = true;
            continue;
          }
          if (recorded.action === 'original' || recorded.action === null || file.values[format] === undefined)
            file.values[format] = recorded.value;
        }
        if (!failed && entry.size !== null) file.size = entry.size;
        file.lastSequence = sequence;
        file.lastFailed = failed;
        out.set(path, file);
      }
    }
    for (const child of h.children) visit(child);
  };
  visit(history);
  return out;
}

/** Every generation of a history and its nested ones, with the root each belongs to. */
export function allGenerations(history: MhlHistory): Array<HistoryGeneration & { root: string }> {
  return [
    ...history.generations.map((g) => ({ ...g, root: history.root })),
    ...history.children.flatMap(allGenerations),
  ];
}

/** Every problem of a history and its nested ones. */
export function allProblems(history: MhlHistory): string[] {
  return [...history.problems, ...history.children.flatMap(allProblems)];
}

/** Whether a path (under the history root) is one the history's ignore patterns leave out. */
export function ignoredByHistory(path: string, patterns: readonly string[]): boolean {
  const segments = path.split('/');
  return patterns.some((pattern) => {
    const folderOnly = pattern.endsWith('/');
    const p = folderOnly ? pattern.slice(0, -1) : pattern;
    if (!p) return false;
    const re = new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'u',
    );
    // A folder pattern matches a folder on the way; a plain one any segment.
    return (folderOnly ? segments.slice(0, -1) : segments).some((s) => re.test(s));
  });
}

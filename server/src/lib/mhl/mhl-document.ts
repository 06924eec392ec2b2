import { normalizeHashValue, SCHEMA_FORMATS, type SchemaFormat } from './hash-formats.js';
import { mhlFileNameProblem, mhlPathProblem } from './mhl-paths.js';
import { childNamed, childrenNamed, childText, parseXml, type XmlElement, XmlRefused } from './xml-tree.js';

export const MHL_NS = 'urn:ASC:MHL:v2.0';
export const MHL_DIRECTORY_NS = 'urn:ASC:MHL:DIRECTORY:v2.0';

export type HashAction = 'original' | 'verified' | 'failed';

/** One format's value recorded for a file. */
export interface RecordedValue {
  value: string;
  /** Absent in files written before actions existed: taken as an original. */
  action: HashAction | null;
  hashDate: string | null;
}

/** One `<hash>` of a generation. */
export interface MhlFileEntry {
  path: string;
  size: number | null;
  lastModified: string | null;
  values: Partial<Record<SchemaFormat, RecordedValue>>;
}

/** One `<hashlistreference>`: a nested history's generation, by its path under this root. */
export interface MhlReference {
  path: string;
  c4: string;
}

/** One generation file (`NNNN_<folder>_<date>.mhl`), as read. */
export interface MhlGeneration {
  creationDate: string;
  hostname: string;
  tool: { name: string; version: string | null };
  process: string;
  ignore: string[];
  files: MhlFileEntry[];
  directories: string[];
  references: MhlReference[];
  /** Entries left out, each with why (a path that climbs out, a value of the wrong shape). */
  problems: string[];
}

/** One entry of `ascmhl_chain.xml`. */
export interface MhlChainEntry {
  sequence: number;
  path: string;
  c4: string;
}

function requireRoot(root: XmlElement, name: string, ns: string, what: string): void {
  if (root.name !== name || root.ns !== ns)
    throw new XmlRefused(
      `Not ${what}: the root element is <${root.name}> in "${root.ns}", not <${name}> in "${ns}".`,
    );
}

function sizeOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  return /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : Number.NaN;
}

/** Reads one generation file. Throws XmlRefused when it is not one; odd entries become `problems`. */
export function parseGeneration(text: string): MhlGeneration {
  const root = parseXml(text);
  requireRoot(root, 'hashlist', MHL_NS, 'an ASC MHL 2.0 hash list');
  const creator = childNamed(root, 'creatorinfo');
  const processInfo = childNamed(root, 'processinfo');
  const toolElement = creator && childNamed(creator, 'tool');
  const generation: MhlGeneration = {
    creationDate: (creator && childText(creator, 'creationdate')) ?? '',
    hostname: (creator && childText(creator, 'hostname')) ?? '',
    tool: { name: toolElement?.text.trim() ?? '', version: toolElement?.attributes.version ?? null },
    process: (processInfo && childText(processInfo, 'process')) ?? '',
    ignore: [],
    files: [],
    directories: [],
    references: [],
    problems: [],
  };
  const ignore = processInfo && childNamed(processInfo, 'ignore');
  if (ignore) generation.ignore = childrenNamed(ignore, 'pattern').map((p) => p.text.trim());
  for (const entry of childNamed(root, 'hashes')?.children ?? []) {
    const pathElement = childNamed(entry, 'path');
    const path = pathElement?.text ?? '';
    const problem = mhlPathProblem(path);
    if (problem) {
      generation.problems.push(
        `An entry with ${problem} was ignored: ${JSON.stringify(path.slice(0, 200))}.`,
      );
      continue;
    }
    if (entry.name === 'directoryhash') {
      generation.directories.push(path);
      continue;
    }
    if (entry.name !== 'hash') continue;
    const size = sizeOf(pathElement?.attributes.size);
    if (Number.isNaN(size)) {
      generation.problems.push(`"${path}" has a size that is not a whole number of bytes; it was ignored.`);
      continue;
    }
    const values: MhlFileEntry['values'] = {};
    for (const format of SCHEMA_FORMATS) {
      const element = childNamed(entry, format);
      if (!element) continue;
      const value = normalizeHashValue(format, element.text);
      if (value === null) {
        generation.problems.push(`"${path}" has a ${format} value of the wrong shape; it was ignored.`);
        continue;
      }
      const action = element.attributes.action;
      values[format] = {
        value,
        action: action === 'original' || action === 'verified' || action === 'failed' ? action : null,
        hashDate: element.attributes.hashdate ?? null,
      };
    }
    generation.files.push({
      path,
      size,
      lastModified: pathElement?.attributes.lastmodificationdate ?? null,
      values,
    });
  }
  for (const ref of childrenNamed(childNamed(root, 'references') ?? root, 'hashlistreference')) {
    const path = childText(ref, 'path') ?? '';
    const problem = mhlPathProblem(path);
    const c4 = normalizeHashValue('c4', childText(ref, 'c4') ?? '');
    if (problem || !c4) {
      generation.problems.push(
        `A reference to a nested history with ${problem ?? 'no valid c4'} was ignored.`,
      );
      continue;
    }
    generation.references.push({ path, c4 });
  }
  return generation;
}

/** Reads `ascmhl_chain.xml`: the generations in sequence order. */
export function parseChain(text: string): { entries: MhlChainEntry[]; problems: string[] } {
  const root = parseXml(text);
  requireRoot(root, 'ascmhldirectory', MHL_DIRECTORY_NS, 'an ASC MHL chain');
  const entries: MhlChainEntry[] = [];
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const item of childrenNamed(root, 'hashlist')) {
    const sequence = Number(item.attributes.sequencenr);
    const path = childText(item, 'path') ?? '';
    const c4 = normalizeHashValue('c4', childText(item, 'c4') ?? '');
    const problem = mhlFileNameProblem(path);
    if (!Number.isSafeInteger(sequence) || sequence < 1 || seen.has(sequence)) {
      problems.push(
        `A generation with a missing, repeated or impossible sequence number was ignored (${JSON.stringify(item.attributes.sequencenr ?? '')}).`,
      );
      continue;
    }
    if (problem || !c4) {
      problems.push(`Generation ${sequence} names ${problem ?? 'no valid c4'}; it was ignored.`);
      continue;
    }
    seen.add(sequence);
    entries.push({ sequence, path, c4 });
  }
  entries.sort((a, b) => a.sequence - b.sequence);
  return { entries, problems };
}

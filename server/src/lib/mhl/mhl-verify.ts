import { HASH_FORMATS, type HashFormat, isHashFormat } from './hash-formats.js';
import type { RecordedFile } from './mhl-history.js';

/** A file present beside the history, as the caller knows it. */
export interface PresentFile {
  /** Path under the history root. */
  path: string;
  size: number;
}

/**
 * Per file: `verified` (every format the history records that Dailies can hash agrees, and the
 * size), `mismatch` (one does not), `unlisted` (present, not in the history), `unverifiable`
 * (recorded only in formats Dailies cannot hash: xxh3, xxh128).
 */
export type FileVerdict = 'verified' | 'mismatch' | 'unlisted' | 'unverifiable';

export interface FileCheck<F extends PresentFile> {
  file: F;
  verdict: FileVerdict;
  /** The path as the history spells it (another Unicode form), when matched. */
  recordedPath?: string;
  /** The formats compared, with the values recorded and found. */
  compared: Array<{ format: HashFormat; expected: string; actual: string }>;
  /** Why it is a mismatch, as a person reads it. */
  reason?: string;
}

export interface Verification<F extends PresentFile> {
  files: Array<FileCheck<F>>;
  /** Paths the history records that are not there. */
  missing: string[];
}

/**
 * Compares what a history records with the files present. Paths match exactly; a path the
 * history spells in another Unicode normalization form (macOS writes decomposed names) matches
 * when exactly one present file has that form. Case is never folded: `a.mov` and `A.mov` are
 * two files on every volume the editors use that can hold both. `hash` computes a format of a
 * present file (the caller uses checksums it already holds where it can).
 */
export async function verifyFiles<F extends PresentFile>(
  recorded: Map<string, RecordedFile>,
  present: F[],
  hash: (file: F, formats: HashFormat[]) => Promise<Partial<Record<HashFormat, string>>>,
): Promise<Verification<F>> {
  const byNfc = new Map<string, RecordedFile[]>();
  for (const r of recorded.values()) {
    const key = r.path.normalize('NFC');
    byNfc.set(key, [...(byNfc.get(key) ?? []), r]);
  }
  const presentNfc = new Map<string, number>();
  for (const f of present)
    presentNfc.set(f.path.normalize('NFC'), (presentNfc.get(f.path.normalize('NFC')) ?? 0) + 1);
  const matched = new Set<string>();
  const files: Array<FileCheck<F>> = [];
  for (const file of present) {
    let record = recorded.get(file.path);
    if (!record) {
      const key = file.path.normalize('NFC');
      const candidates = byNfc.get(key) ?? [];
      if (
        candidates.length === 1 &&
        presentNfc.get(key) === 1 &&
        !present.some((p) => p.path === candidates[0]!.path)
      )
        record = candidates[0];
    }
    if (!record || matched.has(record.path)) {
      files.push({ file, verdict: 'unlisted', compared: [] });
      continue;
    }
    matched.add(record.path);
    files.push(await check(file, record, hash));
  }
  const missing = [...recorded.keys()].filter((p) => !matched.has(p)).sort();
  return { files, missing };
}

async function check<F extends PresentFile>(
  file: F,
  record: RecordedFile,
  hash: (file: F, formats: HashFormat[]) => Promise<Partial<Record<HashFormat, string>>>,
): Promise<FileCheck<F>> {
  const formats = HASH_FORMATS.filter((f) => record.values[f] !== undefined);
  const base = { file, recordedPath: record.path === file.path ? undefined : record.path };
  if (formats.length === 0) {
    const recordedFormats = Object.keys(record.values).filter((f) => !isHashFormat(f));
    return {
      ...base,
      verdict: 'unverifiable',
      compared: [],
      reason: `The history records only ${recordedFormats.join(', ') || 'no hash'}, which Dailies does not compute.`,
    };
  }
  const actual = await hash(file, formats);
  const compared = formats.map((format) => ({
    format,
    expected: record.values[format]!,
    actual: actual[format] ?? '',
  }));
  const reasons = compared
    .filter((c) => c.expected !== c.actual)
    .map((w) => `${w.format} ${w.actual} where the history records ${w.expected}`);
  if (record.size !== null && record.size !== file.size)
    reasons.unshift(`${file.size} bytes where the history records ${record.size}`);
  if (reasons.length > 0) return { ...base, verdict: 'mismatch', compared, reason: `${reasons.join('; ')}.` };
  return { ...base, verdict: 'verified', compared };
}

import { SCHEMA_FORMATS, type SchemaFormat } from './hash-formats.js';
import {
  type HashAction,
  MHL_DIRECTORY_NS,
  MHL_NS,
  type MhlChainEntry,
  type MhlReference,
} from './mhl-document.js';
import { escapeXml } from './xml-tree.js';

/** One file a generation records. */
export interface GenerationFile {
  path: string;
  size: number;
  /** Epoch ms, when known. */
  lastModified?: number;
  values: Partial<Record<SchemaFormat, { value: string; action: HashAction; hashDate: number }>>;
}

export interface GenerationInput {
  /** Epoch ms. */
  createdAt: number;
  hostname: string;
  toolVersion: string;
  process: 'in-place' | 'transfer';
  comment?: string;
  files: GenerationFile[];
  references?: MhlReference[];
}

/** The tool name Dailies writes into `<creatorinfo>`; how it recognises its own generations. */
export const DAILIES_TOOL = 'Dailies';

/** The standard's own: history folders and the macOS litter are never listed. */
export const DEFAULT_IGNORE = ['.DS_Store', 'ascmhl', 'ascmhl/'];

/** MHL dates: ISO 8601 with an explicit offset, to the second. */
export function mhlDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** Writes one generation; its elements in the order ASCMHL.xsd requires. */
export function writeGeneration(input: GenerationInput): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<hashlist version="2.0" xmlns="${MHL_NS}">`,
    '  <creatorinfo>',
    `    <creationdate>${mhlDate(input.createdAt)}</creationdate>`,
    `    <hostname>${escapeXml(input.hostname)}</hostname>`,
    `    <tool version="${escapeXml(input.toolVersion)}">${DAILIES_TOOL}</tool>`,
  ];
  if (input.comment) lines.push(`    <comment>${escapeXml(input.comment)}</comment>`);
  lines.push(
    '  </creatorinfo>',
    '  <processinfo>',
    `    <process>${input.process}</process>`,
    '    <ignore>',
  );
  for (const pattern of DEFAULT_IGNORE) lines.push(`      <pattern>${escapeXml(pattern)}</pattern>`);
  lines.push('    </ignore>', '  </processinfo>');
  if (input.files.length > 0) {
    lines.push('  <hashes>');
    for (const file of input.files) {
      const modified =
        file.lastModified === undefined ? '' : ` lastmodificationdate="${mhlDate(file.lastModified)}"`;
      lines.push('    <hash>', `      <path size="${file.size}"${modified}>${escapeXml(file.path)}</path>`);
      for (const format of SCHEMA_FORMATS) {
        const v = file.values[format];
        if (v)
          lines.push(
            `      <${format} action="${v.action}" hashdate="${mhlDate(v.hashDate)}">${v.value}</${format}>`,
          );
      }
      lines.push('    </hash>');
    }
    lines.push('  </hashes>');
  }
  if (input.references && input.references.length > 0) {
    lines.push('  <references>');
    for (const ref of input.references)
      lines.push(
        '    <hashlistreference>',
        `      <path>${escapeXml(ref.path)}</path>`,
        `      <c4>${ref.c4}</c4>`,
        '    </hashlistreference>',
      );
    lines.push('  </references>');
  }
  lines.push('</hashlist>', '');
  return lines.join('\n');
}

/** Writes `ascmhl_chain.xml`, every generation in sequence order. */
export function writeChain(entries: MhlChainEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<ascmhldirectory xmlns="${MHL_DIRECTORY_NS}">`];
  for (const e of [...entries].sort((a, b) => a.sequence - b.sequence))
    lines.push(
      `  <hashlist sequencenr="${e.sequence}">`,
      `    <path>${escapeXml(e.path)}</path>`,
      `    <c4>${e.c4}</c4>`,
      '  </hashlist>',
    );
  lines.push('</ascmhldirectory>', '');
  return lines.join('\n');
}

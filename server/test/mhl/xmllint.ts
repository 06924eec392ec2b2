import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XSD = '/work/shared/reference/ascmhl/xsd';
const SCHEMAS = {
  generation: join(XSD, 'ASCMHL.xsd'),
  // ASCMHLDirectory.xsd imports ASCMHL.xsd from the web; this one has it inlined.
  chain: join(XSD, 'ASCMHLDirectory__combined.xsd'),
};

/** Validates a document with xmllint (Debian libxml2-utils) offline; returns xmllint's complaint or null. */
export function schemaErrors(text: string | Uint8Array, kind: keyof typeof SCHEMAS): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'mhl-xsd-'));
  const file = join(dir, kind === 'chain' ? 'ascmhl_chain.xml' : 'generation.mhl');
  writeFileSync(file, text);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMAS[kind], file], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

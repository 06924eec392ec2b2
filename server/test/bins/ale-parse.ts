/** A small ALE reader for the tests: heading pairs, column names, and each data row by column. */
export interface ParsedAle {
  heading: Record<string, string>;
  columns: string[];
  rows: Array<Record<string, string>>;
}

type Section = 'none' | 'heading' | 'column' | 'data';

export function parseAle(text: string): ParsedAle {
  const lines = text.split(/\r?\n/);
  let section: Section = 'none';
  const out: ParsedAle = { heading: {}, columns: [], rows: [] };
  for (const line of lines) {
    if (line === 'Heading' || line === 'Column' || line === 'Data') {
      section = line.toLowerCase() as Section;
      continue;
    }
    if (line === '') continue;
    const cells = line.split('\t');
    if (section === 'heading') {
      if (cells.length !== 2) throw new Error(`a heading line is not a pair: ${JSON.stringify(line)}`);
      out.heading[cells[0]] = cells[1];
    } else if (section === 'column') {
      out.columns = cells;
    } else if (section === 'data') {
      if (cells.length !== out.columns.length)
        throw new Error(`a data line has ${cells.length} cells for ${out.columns.length} columns`);
      out.rows.push(Object.fromEntries(out.columns.map((c, i) => [c, cells[i]])));
    } else {
      throw new Error(`text before the heading: ${JSON.stringify(line)}`);
    }
  }
  return out;
}

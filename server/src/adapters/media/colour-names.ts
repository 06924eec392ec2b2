/**
 * mediainfo and ffprobe name the same ITU-T H.273 colour codes differently ("BT.601 NTSC" vs
 * "smpte170m"). The record uses FFmpeg's names throughout so search and filters see one
 * vocabulary; a name missing here passes through as mediainfo wrote it.
 */
const PRIMARIES: Record<string, string> = {
  'BT.709': 'bt709',
  'BT.470 System M': 'bt470m',
  'BT.601 PAL': 'bt470bg',
  'BT.601 NTSC': 'smpte170m',
  'SMPTE 240M': 'smpte240m',
  'Generic film': 'film',
  'BT.2020': 'bt2020',
  XYZ: 'smpte428',
  'DCI P3': 'smpte431',
  'Display P3': 'smpte432',
  'EBU Tech 3213': 'jedec-p22',
};

const TRANSFER: Record<string, string> = {
  'BT.709': 'bt709',
  'BT.470 System M': 'gamma22',
  'BT.470 System B/G': 'gamma28',
  'BT.601': 'smpte170m',
  'SMPTE 240M': 'smpte240m',
  Linear: 'linear',
  xvYCC: 'iec61966-2-4',
  'BT.1361': 'bt1361e',
  'sRGB/sYCC': 'iec61966-2-1',
  'BT.2020 (10-bit)': 'bt2020-10',
  'BT.2020 (12-bit)': 'bt2020-12',
  PQ: 'smpte2084',
  'SMPTE 428M': 'smpte428',
  HLG: 'arib-std-b67',
};

const MATRIX: Record<string, string> = {
  Identity: 'gbr',
  'BT.709': 'bt709',
  'FCC 73.682': 'fcc',
  'BT.470 System B/G': 'bt470bg',
  'BT.601': 'smpte170m',
  'SMPTE 240M': 'smpte240m',
  YCgCo: 'ycgco',
  'BT.2020 non-constant': 'bt2020nc',
  'BT.2020 constant': 'bt2020c',
  ICtCp: 'ictcp',
};

const lookup = (table: Record<string, string>) => (name: string | null) =>
  name === null ? null : (table[name] ?? name);

export const primariesName = lookup(PRIMARIES);
export const transferName = lookup(TRANSFER);
export const matrixName = lookup(MATRIX);

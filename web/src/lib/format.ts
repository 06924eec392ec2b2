/** How numbers, dates and durations read in the UI. */

const bytesUnits = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < bytesUnits.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${bytesUnits[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-26 14:05` in local time: dense, sortable by eye, the same in every locale. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `24000/1001` → 23.976; `25` or `25/1` → 25. */
export function parseFrameRate(rate: string | null | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  const value = den ? num / den : num;
  return Number.isFinite(value) && value > 0 ? value : null;
}

export function formatFrameRate(rate: string | null | undefined): string {
  const value = parseFrameRate(rate);
  if (value === null) return '—';
  return `${Number.isInteger(value) ? value : value.toFixed(3)} fps`;
}

/** Parses `HH:MM:SS:FF` (or `;` before frames, drop-frame) to a frame count at the nominal rate. */
export function timecodeToFrames(timecode: string | null | undefined, fps: number): number {
  const match = timecode?.match(/^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2,3})$/);
  if (!match) return 0;
  const nominal = Math.round(fps);
  const [h, m, s, f] = match.slice(1).map(Number);
  return ((h * 60 + m) * 60 + s) * nominal + f;
}

/** A frame count at the nominal rate → `HH:MM:SS:FF` (non-drop-frame counting). */
export function framesToTimecode(frames: number, fps: number): string {
  const nominal = Math.max(1, Math.round(fps));
  const total = Math.max(0, Math.floor(frames));
  const f = total % nominal;
  const s = Math.floor(total / nominal) % 60;
  const m = Math.floor(total / (nominal * 60)) % 60;
  const h = Math.floor(total / (nominal * 3600)) % 24;
  return [h, m, s, f].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * A whole number, `100000` → `100,000`: the same in every locale (as dates are). Not `toLocaleString()`: the
 * first use of Intl's number formatter loads its locale data, 50–200 ms on a cold page here,
 * which the first screen of a large folder cannot spare.
 */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A monthly cost: two decimals with thousands separators; a cost too small to show is "< 0.01", not "0.00". */
export function formatMoney(amount: number, currency: string): string {
  if (amount > 0 && amount < 0.005) return `< 0.01 ${currency}`;
  const shown = amount.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${shown} ${currency}`;
}

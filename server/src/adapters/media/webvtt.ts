export interface SpriteGrid {
  tiles: number;
  columns: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
  durationSeconds: number;
}

/** WebVTT cues mapping each interval of the media to its tile in the sprite sheet. */
export function filmstripVtt(spriteName: string, grid: SpriteGrid): string {
  const cues = ['WEBVTT', ''];
  for (let tile = 0; tile < grid.tiles; tile++) {
    const start = tile * grid.intervalSeconds;
    const end =
      tile === grid.tiles - 1
        ? grid.durationSeconds
        : Math.min((tile + 1) * grid.intervalSeconds, grid.durationSeconds);
    const x = (tile % grid.columns) * grid.tileWidth;
    const y = Math.floor(tile / grid.columns) * grid.tileHeight;
    cues.push(
      `${timestamp(start)} --> ${timestamp(end)}`,
      `${spriteName}#xywh=${x},${y},${grid.tileWidth},${grid.tileHeight}`,
      '',
    );
  }
  return cues.join('\n');
}

/** `HH:MM:SS.mmm`, the form every WebVTT parser accepts. */
export function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

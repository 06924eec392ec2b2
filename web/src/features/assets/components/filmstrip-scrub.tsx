/**
 * Hovering a card's thumbnail scrubs through the asset: the pointer's position across the
 * thumbnail picks a time, and that time's tile of the filmstrip sprite is shown in its place.
 */
import { type MouseEvent, useState } from 'react';
import { type FilmstripCue, useFilmstrip } from '../api/get-filmstrip';
import './filmstrip-scrub.css';

export function useFilmstripScrub(assetId: string, duration: number | null, enabled: boolean) {
  const [hovering, setHovering] = useState(false);
  const [position, setPosition] = useState<{ fraction: number; box: DOMRect } | null>(null);
  const { data: cues = [] } = useFilmstrip(assetId, enabled && hovering);
  const handlers = enabled
    ? {
        onMouseEnter: () => setHovering(true),
        onMouseMove: (event: MouseEvent<HTMLElement>) => {
          const box = event.currentTarget.getBoundingClientRect();
          setPosition({ fraction: Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)), box });
        },
        onMouseLeave: () => setPosition(null),
      }
    : {};
  const cue = position && cues.length > 0 ? cueAt(cues, position.fraction * cueEnd(cues, duration)) : null;
  const overlay =
    cue && position ? <FilmstripTile cue={cue} box={position.box} fraction={position.fraction} /> : null;
  return { handlers, overlay };
}

function cueEnd(cues: FilmstripCue[], duration: number | null): number {
  return duration ?? cues[cues.length - 1].end;
}

function cueAt(cues: FilmstripCue[], time: number): FilmstripCue {
  return cues.find((c) => time >= c.start && time < c.end) ?? cues[cues.length - 1];
}

function FilmstripTile({ cue, box, fraction }: { cue: FilmstripCue; box: DOMRect; fraction: number }) {
  const scale = Math.min(box.width / cue.width, box.height / cue.height);
  return (
    <span className="filmstrip" data-testid="filmstrip-tile" aria-hidden="true">
      <span
        className="filmstrip__tile"
        style={{
          width: cue.width,
          height: cue.height,
          backgroundImage: `url("${cue.sprite}")`,
          backgroundPosition: `-${cue.x}px -${cue.y}px`,
          transform: `translate(-50%, -50%) scale(${scale})`,
        }}
      />
      <span className="filmstrip__bar" style={{ width: `${fraction * 100}%` }} />
    </span>
  );
}

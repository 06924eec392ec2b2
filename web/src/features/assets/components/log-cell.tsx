/** An asset's scene and take in a row or on a card, with a ring when the take is circled. */
import type { Asset } from '../../../lib/api-client';
import './log-cell.css';

export function LogCell({ log }: { log: Asset['log'] }) {
  const slate = [log.scene, log.take].filter((v) => v !== null).join(' / ');
  if (!slate && !log.circled) return <span className="muted">—</span>;
  return (
    <span className="log-cell">
      {log.circled ? (
        <span className="log-cell__circled" title="Circled take">
          {slate || '○'}
          <span className="visually-hidden"> (circled)</span>
        </span>
      ) : (
        <span className="mono">{slate}</span>
      )}
    </span>
  );
}

/** The asset's ASC MHL verdict in the preview: whether its bytes are the camera card's. */
import { useAssetMhl } from '../api/get-asset-mhl';
import './mhl-badge.css';

const LABELS = {
  verified: 'MHL verified',
  mismatch: 'MHL mismatch',
  unlisted: 'Not in the MHL',
  unverifiable: 'MHL not checkable',
} as const;

const EXPLAIN = {
  verified: 'Its bytes match the hashes the card’s ASC MHL history records',
  mismatch: 'Its bytes differ from the hashes the card’s ASC MHL history records',
  unlisted: 'The card’s ASC MHL history does not list this file',
  unverifiable: 'The card’s ASC MHL history records no hash Dailies can check',
} as const;

export function MhlBadge({ assetId }: { assetId: string }) {
  const { data } = useAssetMhl(assetId);
  if (!data?.verdict) return null;
  const verdict = data.verdict;
  const detail = [
    `${EXPLAIN[verdict]} (${data.card}).`,
    data.formats.length > 0 ? `Compared: ${data.formats.join(', ')}.` : '',
    data.reason ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <p className={`mhl-badge mhl-badge--${verdict}`} title={detail} data-verdict={verdict}>
        <span className="mhl-badge__label">{LABELS[verdict]}</span>
        <span className="visually-hidden"> {detail}</span>
      </p>
      {verdict === 'mismatch' && data.reason && (
        <p className="mhl-reason" aria-hidden="true">
          {data.reason}
        </p>
      )}
    </>
  );
}

/** On the trash page: when trashed originals will be purged, ahead of time. */
import { formatBytes, plural } from '../../../lib/format';
import { useRetention } from '../api/storage';

export function RetentionNote() {
  const retention = useRetention();
  const data = retention.data;
  if (!data) return null;
  if (data.retentionDays === 0)
    return <p className="retention-note">Trashed originals are kept until the trash is emptied.</p>;
  const next = data.upcoming.slice(0, 4);
  return (
    <p className="retention-note" role="note">
      Trashed originals are purged {plural(data.retentionDays, 'day')} after deletion.
      {next.length === 0
        ? ' Nothing is due in the next two weeks.'
        : ` Coming up: ${next.map((d) => `${d.day} — ${plural(d.assets, 'asset')} (${formatBytes(d.bytes)})`).join('; ')}.`}
    </p>
  );
}

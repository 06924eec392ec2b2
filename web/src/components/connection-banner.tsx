/**
 * Says so when the server cannot be reached, rather than letting a folder read "empty". It goes
 * away by itself once a request or the event stream gets through again.
 */
import { useOnline } from '../lib/connection';
import { IconWarning } from './icons';
import './connection-banner.css';

export function ConnectionBanner() {
  const online = useOnline();
  if (online) return null;
  return (
    <div className="connection-banner" role="status" data-testid="offline-banner">
      <IconWarning />
      <span>
        <strong>Offline.</strong> Dailies cannot be reached; reconnecting… What you see may be out of date.
      </span>
    </div>
  );
}

import { useState } from 'react';
import { IconCopy, IconDownload } from '../../../components/icons';

/** Recovery codes, shown once: each signs in once when the phone is not at hand. */
export function RecoveryCodes({
  codes,
  username,
  onDone,
  doneLabel = 'I have saved them',
}: {
  codes: string[];
  username: string;
  onDone: () => void;
  doneLabel?: string;
}) {
  const [copied, setCopied] = useState(false);
  const text = `Dailies recovery codes for ${username}\nEach works once.\n\n${codes.join('\n')}\n`;
  return (
    <div className="form recovery">
      <p className="form__hint recovery__note">
        Keep these codes somewhere safe, away from your phone. Each one signs you in once if you lose the app.
        They are shown only now.
      </p>
      <ol className="recovery__codes mono" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="recovery__actions">
        <button
          type="button"
          className="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(text);
            setCopied(true);
          }}
        >
          <IconCopy /> {copied ? 'Copied' : 'Copy'}
        </button>
        <a
          className="button"
          download={`dailies-recovery-codes-${username}.txt`}
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
        >
          <IconDownload /> Download
        </a>
      </div>
      <button type="button" className="button button--primary" onClick={onDone}>
        {doneLabel}
      </button>
    </div>
  );
}

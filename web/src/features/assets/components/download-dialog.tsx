import { Dialog } from '../../../components/dialog';
import { IconDownload } from '../../../components/icons';
import type { DownloadLink } from '../../../lib/api-client';
import { triggerDownload } from '../../../lib/download';
import { formatDate } from '../../../lib/format';

/** Several signed links at once: the browser may ask once before it saves many files. */
export function DownloadDialog({ links, onClose }: { links: DownloadLink[]; onClose: () => void }) {
  const expires = links.map((l) => l.expiresAt).sort()[0] ?? '';
  return (
    <Dialog
      title={`Download ${links.length} files`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              links.forEach((link, i) => {
                setTimeout(() => triggerDownload(link.url, link.name), i * 400);
              });
            }}
          >
            <IconDownload /> Download all
          </button>
        </>
      }
    >
      <p className="form__hint">These links are signed and stop working {formatDate(expires)}.</p>
      <ul className="link-list">
        {links.map((link) => (
          <li key={link.id}>
            <a href={link.url} download={link.name} rel="noopener">
              <IconDownload /> {link.name}
            </a>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

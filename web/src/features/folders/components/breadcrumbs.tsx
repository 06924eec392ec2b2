import { IconChevronRight } from '../../../components/icons';
import { ancestry, baseName } from '../../../lib/paths';

/** Where you are: every ancestor is a link; the last crumb is the current folder. */
export function Breadcrumbs({
  path,
  hrefFor,
  onOpen,
}: {
  path: string;
  hrefFor: (path: string) => string;
  onOpen: (path: string) => void;
}) {
  const crumbs = ancestry(path);
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          const name = crumb === '/' ? 'All media' : baseName(crumb);
          return (
            <li key={crumb}>
              {i > 0 && (
                <span className="breadcrumbs__sep" aria-hidden="true">
                  <IconChevronRight size={12} />
                </span>
              )}
              {last ? (
                <span aria-current="page" className="breadcrumbs__current">
                  {name}
                </span>
              ) : (
                <a
                  href={hrefFor(crumb)}
                  onClick={(event) => {
                    if (event.button !== 0 || event.metaKey || event.ctrlKey) return;
                    event.preventDefault();
                    onOpen(crumb);
                  }}
                >
                  {name}
                </a>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

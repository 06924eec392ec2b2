/**
 * Other ways to write the same request path: what a router, a proxy or a browser may read as
 * the path a route answers, or as something next to it. Each spelling either reaches the very
 * route (and its rules) or no route at all; none may reach a route's handler without its checks.
 */
export interface Spelling {
  name: string;
  path: string;
}

const encodeChar = (char: string) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** `path` is a concrete path such as `/api/assets/123/proxy` (no query). */
export function spellingsOf(path: string): Spelling[] {
  const segments = path.split('/').slice(1);
  const [first, second, ...rest] = segments;
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const out: Spelling[] = [
    {
      name: 'first letter percent-encoded',
      path: join([encodeChar(first[0]) + first.slice(1), ...segments.slice(1)]),
    },
    {
      name: 'whole first segment percent-encoded',
      path: join([[...first].map(encodeChar).join(''), ...segments.slice(1)]),
    },
    {
      name: 'upper-case percent-encoding',
      path: join([encodeChar(first[0]).toUpperCase() + first.slice(1), ...segments.slice(1)]),
    },
    {
      name: 'double percent-encoding',
      path: join([`%25${first.charCodeAt(0).toString(16)}${first.slice(1)}`, ...segments.slice(1)]),
    },
    { name: 'leading //', path: `/${path}` },
    { name: 'leading /./', path: `/.${path}` },
    { name: 'leading /x/../', path: `/x/..${path}` },
    { name: 'encoded dot segments', path: `/%2e/x/%2e%2e${path}` },
    { name: 'trailing slash', path: `${path}/` },
    { name: 'trailing /.', path: `${path}/.` },
    { name: 'upper case', path: path.toUpperCase() },
    {
      name: 'capitalised first segment',
      path: join([first[0].toUpperCase() + first.slice(1), ...segments.slice(1)]),
    },
    { name: ';param on the first segment', path: join([`${first};x=1`, ...segments.slice(1)]) },
    { name: ';param at the end', path: `${path};jsessionid=1` },
    { name: 'trailing %00', path: `${path}%00` },
    { name: 'trailing %20', path: `${path}%20` },
  ];
  if (second !== undefined) {
    out.push(
      {
        name: 'second segment letter percent-encoded',
        path: join([first, encodeChar(second[0]) + second.slice(1), ...rest]),
      },
      { name: '// inside', path: join([first, '', second, ...rest]) },
      { name: '/./ inside', path: join([first, '.', second, ...rest]) },
      { name: '/x/../ inside', path: join([first, 'x', '..', second, ...rest]) },
      { name: 'encoded slash', path: `/${first}%2F${[second, ...rest].join('/')}` },
      { name: 'encoded backslash', path: `/${first}%5C${[second, ...rest].join('/')}` },
    );
  }
  return out;
}

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Addresses a storage endpoint must never be: link-local ranges, where cloud machines answer
 * their instance metadata (169.254.169.254 gives out credentials), and "this host" 0.0.0.0.
 * An admin may point the lake at any S3 service, but the server would be the one connecting,
 * so these would turn the settings page into a way to read what only the server can reach.
 */
export function forbiddenAddressProblem(address: string): string | null {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = ipv4Of(host);
  if (v4) {
    if (v4[0] === 169 && v4[1] === 254)
      return 'a link-local address (169.254.0.0/16, cloud instance metadata)';
    if (v4.every((part) => part === 0)) return 'the unspecified address 0.0.0.0';
    return null;
  }
  if (isIP(host) === 6) {
    const first = Number.parseInt(host.split(':')[0] || '0', 16);
    if ((first & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
    if (/^(0*:)*:?0*$/.test(host) || host === '::') return 'the unspecified address ::';
    if (host.startsWith('fd00:ec2:')) return 'the cloud instance metadata address';
  }
  if (host === 'metadata.google.internal' || host === 'metadata') return 'a cloud instance metadata name';
  return null;
}

/** The same check for every address a host name resolves to now (a name may point at 169.254.x.x). */
export async function resolvedAddressProblem(hostname: string): Promise<string | null> {
  const direct = forbiddenAddressProblem(hostname);
  if (direct || isIP(hostname.replace(/^\[|\]$/g, ''))) return direct;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(hostname, { all: true });
  } catch {
    // Unresolvable: the probe that follows says the endpoint cannot be reached.
    return null;
  }
  for (const { address } of addresses) {
    const problem = forbiddenAddressProblem(address);
    if (problem) return `${problem}, which ${hostname} resolves to`;
  }
  return null;
}

/** IPv4 as four numbers, also when written as an IPv4-mapped IPv6 address. */
function ipv4Of(host: string): number[] | null {
  const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  const dotted = mapped ?? host;
  if (isIP(dotted) === 4) return dotted.split('.').map(Number);
  const hex = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (hex) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255];
  }
  return null;
}

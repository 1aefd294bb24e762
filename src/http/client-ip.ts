// The client address per-IP limits count (API.md, Settings): CF-Connecting-IP on Workers, the socket
// address elsewhere; X-Forwarded-For only with TRUST_PROXY=1, and then its last entry (the address
// our own proxy saw; earlier entries are whatever the client wrote). IPv6 clients count per /64,
// the block one subscriber usually gets, so rotating addresses inside it does not help.
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const IPV4_WITH_PORT = /^((\d{1,3}\.){3}\d{1,3}):\d+$/;

/** Request headers, or anything that reads them only when asked (on Node, building Headers costs). */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

export function clientIpFrom(headers: HeaderReader, trustProxy: boolean, direct: string | undefined): string {
  const forwarded = trustProxy ? headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  const address = forwarded || direct?.trim();
  return address ? normalizeIp(address) : 'unknown';
}

/** An IPv4 address as it is, an IPv6 address as its /64 prefix; anything else cut to 64 characters. */
export function normalizeIp(raw: string): string {
  const value = raw.replace(/^\[|\](:\d+)?$/g, '');
  if (IPV4.test(value)) return value;
  const withPort = IPV4_WITH_PORT.exec(value)?.[1];
  if (withPort) return withPort;
  const groups = ipv6Groups(value.replace(/%.*$/, ''));
  if (!groups) return value.slice(0, 64);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255].join('.'); // an IPv4-mapped address
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

function ipv6Groups(value: string): number[] | null {
  const halves = value.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (IPV4.test(piece)) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(Number.parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
}

import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The client's network address for a request: the last `X-Forwarded-For` entry when the request
 * comes straight from a trusted proxy (the portal, which sets it from SvelteKit's
 * `getClientAddress()`), otherwise the connection's own address. Only a valid IP address is
 * kept; anything else gives `undefined` (identity then counts the request under one shared
 * "unknown" bucket). The address travels to the subgraphs inside the signed gateway token.
 */
export function clientAddressOf(
  req: Pick<IncomingMessage, 'headers' | 'socket'>,
  trustedProxies: ReadonlySet<string>,
): string | undefined {
  const peer = normalise(req.socket.remoteAddress);
  if (peer && trustedProxies.has(peer)) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const forwarded = value
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded !== undefined) return normalise(forwarded);
  }
  return peer;
}

/** An IP address as text (IPv4-mapped IPv6 as plain IPv4), or undefined when it is not one. */
function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const plain =
    address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(plain) ? plain.toLowerCase() : undefined;
}

import type { Caller } from '@welfare/kit';
import { ANONYMOUS } from '@welfare/kit';

export type Signer = (audience: string, caller: Caller, requestId: string) => Promise<string>;

/** The result of resolving a session: the caller, and whether identity could be asked at all. */
export interface ResolvedSession {
  caller: Caller;
  identityUnavailable: boolean;
}

const GATEWAY_SERVICE: Caller = { kind: 'service', service: 'gateway' };

/**
 * Resolves an opaque session token into the caller by asking the identity subgraph
 * (`POST /internal/session`, authenticated with a gateway service token). No token: anonymous.
 * Identity down or slow: anonymous, flagged, so the rest of the operation still runs.
 */
export function createSessionResolver(options: {
  identityUrl: string;
  sign: Signer;
  timeoutMs: number;
}) {
  const endpoint = new URL('/internal/session', options.identityUrl).toString();
  return async (sessionToken: string | undefined, requestId: string): Promise<ResolvedSession> => {
    if (!sessionToken) return { caller: ANONYMOUS, identityUnavailable: false };
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await options.sign('identity', GATEWAY_SERVICE, requestId)}`,
        },
        body: JSON.stringify({ token: sessionToken }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) return { caller: ANONYMOUS, identityUnavailable: true };
      const body = (await response.json()) as { caller?: Caller };
      return { caller: body.caller ?? ANONYMOUS, identityUnavailable: false };
    } catch {
      return { caller: ANONYMOUS, identityUnavailable: true };
    }
  };
}

/** The session token from `Authorization: Bearer <token>`; nothing else identifies a client. */
export function sessionTokenFrom(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  const token = authorization.slice('Bearer '.length).trim();
  return /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : undefined;
}

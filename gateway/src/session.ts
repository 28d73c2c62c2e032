import { createHash } from 'node:crypto';
import type { Caller } from '@welfare/kit';
import { ANONYMOUS } from '@welfare/kit';
import { httpRequest } from '@welfare/kit/client';

/** Signs a gateway token; `deadline` (epoch ms): when the gateway stops waiting for the call. */
export type Signer = (
  audience: string,
  caller: Caller,
  requestId: string,
  deadline?: number,
  clientAddress?: string,
) => Promise<string>;

/** The result of resolving a session: the caller, and whether identity could be asked at all. */
export interface ResolvedSession {
  caller: Caller;
  identityUnavailable: boolean;
}

const GATEWAY_SERVICE: Caller = { kind: 'service', service: 'gateway' };

/** Resolves a session token; `evict` forgets a cached answer (after a logout). */
export interface SessionResolver {
  (sessionToken: string | undefined, requestId: string): Promise<ResolvedSession>;
  evict(sessionToken: string): void;
}

/**
 * Resolves an opaque session token into the caller by asking the identity subgraph
 * (`POST /internal/session`, authenticated with a gateway service token). No token: anonymous.
 * Identity down or slow: anonymous, flagged, so the rest of the operation still runs.
 *
 * Answers are cached for `cacheTtlMs` (0: no cache), at most `cacheMax` sessions, by the token's
 * SHA-256: a logout through this gateway evicts its session at once; any other change (a session
 * revoked elsewhere, a membership changed) reaches this gateway within the TTL. Failures are not cached.
 */
export function createSessionResolver(options: {
  identityUrl: string;
  sign: Signer;
  timeoutMs: number;
  /** The call's deadline falls this long before its timeout (see SUBGRAPH_DEADLINE_MARGIN_MS). */
  deadlineMarginMs?: number;
  cacheTtlMs?: number;
  cacheMax?: number;
  now?: () => number;
}): SessionResolver {
  const endpoint = new URL('/internal/session', options.identityUrl);
  const ttl = options.cacheTtlMs ?? 0;
  const max = options.cacheMax ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { caller: Caller; until: number }>();
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  const ask = async (sessionToken: string, requestId: string): Promise<ResolvedSession> => {
    try {
      const response = await httpRequest(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await options.sign(
            'identity',
            GATEWAY_SERVICE,
            requestId,
            Date.now() + options.timeoutMs - (options.deadlineMarginMs ?? 0),
          )}`,
        },
        body: JSON.stringify({ token: sessionToken }),
        timeoutMs: options.timeoutMs,
      });
      if (!response.ok) return { caller: ANONYMOUS, identityUnavailable: true };
      const body = (await response.json()) as { caller?: Caller };
      return { caller: body.caller ?? ANONYMOUS, identityUnavailable: false };
    } catch {
      return { caller: ANONYMOUS, identityUnavailable: true };
    }
  };

  const resolve = async (
    sessionToken: string | undefined,
    requestId: string,
  ): Promise<ResolvedSession> => {
    if (!sessionToken) return { caller: ANONYMOUS, identityUnavailable: false };
    if (ttl <= 0) return ask(sessionToken, requestId);
    const key = keyOf(sessionToken);
    const hit = cache.get(key);
    if (hit && hit.until > now()) return { caller: hit.caller, identityUnavailable: false };
    cache.delete(key);
    const answer = await ask(sessionToken, requestId);
    if (!answer.identityUnavailable) {
      // Oldest first out (a Map keeps insertion order).
      while (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(key, { caller: answer.caller, until: now() + ttl });
    }
    return answer;
  };
  return Object.assign(resolve, {
    evict: (sessionToken: string) => void cache.delete(keyOf(sessionToken)),
  });
}

/** The session token from `Authorization: Bearer <token>`; nothing else identifies a client. */
export function sessionTokenFrom(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  const token = authorization.slice('Bearer '.length).trim();
  return /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : undefined;
}

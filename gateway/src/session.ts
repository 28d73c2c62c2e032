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

/** Most tokens in one call to identity (identity's route accepts up to 100). */
const SESSION_BATCH_MAX = 100;

const UNAVAILABLE: ResolvedSession = { caller: ANONYMOUS, identityUnavailable: true };

/** A lookup waiting for the next batch. */
interface Waiting {
  token: string;
  requestId: string;
  settle: (answer: ResolvedSession) => void;
}

/**
 * Resolves an opaque session token into the caller by asking the identity subgraph
 * (`POST /internal/session`, authenticated with a gateway service token). No token: anonymous.
 * Identity down or slow: anonymous, flagged, so the rest of the operation still runs.
 *
 * Lookups are batched: those asked in the same turn of the event loop go to identity in one call
 * (up to SESSION_BATCH_MAX tokens, one query there), and concurrent lookups of the same token share
 * one answer. When a campaign opens and hundreds of citizens arrive at once, identity answers a
 * few calls instead of one per citizen (`npm run bench -- applications`).
 *
 * Answers are cached for `cacheTtlMs` (0: no cache), at most `cacheMax` sessions, by the token's
 * SHA-256: a logout through this gateway evicts its session at once (and an answer still on its
 * way is not cached); any other change (a session revoked elsewhere, a membership changed) reaches
 * this gateway within the TTL. Failures are not cached.
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
  /** Lookups on their way to identity, by token hash (one per token at a time). */
  const inflight = new Map<string, Promise<ResolvedSession>>();
  let waiting: Waiting[] = [];
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  const askBatch = async (batch: Waiting[]): Promise<void> => {
    let answers: ResolvedSession[];
    try {
      const response = await httpRequest(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await options.sign(
            'identity',
            GATEWAY_SERVICE,
            batch[0]!.requestId,
            Date.now() + options.timeoutMs - (options.deadlineMarginMs ?? 0),
          )}`,
        },
        body: JSON.stringify({ tokens: batch.map((w) => w.token) }),
        timeoutMs: options.timeoutMs,
      });
      const body = response.ok ? ((await response.json()) as { callers?: unknown }) : {};
      const callers = body.callers;
      answers =
        Array.isArray(callers) && callers.length === batch.length
          ? callers.map((caller) => ({
              caller: (caller as Caller | null) ?? ANONYMOUS,
              identityUnavailable: false,
            }))
          : batch.map(() => UNAVAILABLE);
    } catch {
      answers = batch.map(() => UNAVAILABLE);
    }
    batch.forEach((w, i) => w.settle(answers[i]!));
  };

  const flush = () => {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += SESSION_BATCH_MAX) {
      void askBatch(all.slice(i, i + SESSION_BATCH_MAX));
    }
  };

  const ask = (token: string, requestId: string) =>
    new Promise<ResolvedSession>((settle) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ token, requestId, settle });
    });

  const lookup = (key: string, token: string, requestId: string): Promise<ResolvedSession> => {
    const pending = inflight.get(key);
    if (pending) return pending;
    const answer = ask(token, requestId).then((resolved) => {
      // Not cached when evicted meanwhile (a logout while the answer was on its way).
      if (inflight.get(key) === answer) {
        inflight.delete(key);
        if (ttl > 0 && !resolved.identityUnavailable) {
          // Oldest first out (a Map keeps insertion order).
          while (cache.size >= max) cache.delete(cache.keys().next().value!);
          cache.set(key, { caller: resolved.caller, until: now() + ttl });
        }
      }
      return resolved;
    });
    inflight.set(key, answer);
    return answer;
  };

  const resolve = async (
    sessionToken: string | undefined,
    requestId: string,
  ): Promise<ResolvedSession> => {
    if (!sessionToken) return { caller: ANONYMOUS, identityUnavailable: false };
    const key = keyOf(sessionToken);
    if (ttl > 0) {
      const hit = cache.get(key);
      if (hit && hit.until > now()) return { caller: hit.caller, identityUnavailable: false };
      cache.delete(key);
    }
    return lookup(key, sessionToken, requestId);
  };
  return Object.assign(resolve, {
    evict: (sessionToken: string) => {
      const key = keyOf(sessionToken);
      cache.delete(key);
      inflight.delete(key);
    },
  });
}

/** The session token from `Authorization: Bearer <token>`; nothing else identifies a client. */
export function sessionTokenFrom(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  const token = authorization.slice('Bearer '.length).trim();
  return /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : undefined;
}

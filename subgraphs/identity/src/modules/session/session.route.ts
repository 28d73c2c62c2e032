import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { errorBody, readBody, sendJson } from '@welfare/kit/http';
import type { SessionService } from './session.service.js';

/** The route the gateway calls to resolve the session tokens of the requests it receives. */
export const INTERNAL_SESSION_ROUTE = 'POST /internal/session';

/** Most session tokens resolved in one call (the gateway's batches are no larger). */
const SESSION_BATCH_MAX = 100;

/**
 * `POST /internal/session` with `{"tokens": ["...", ...]}` (1 to SESSION_BATCH_MAX) and the
 * gateway's own token (caller `{kind:'service', service:'gateway'}`, audience `identity`):
 * answers `{"callers": [Caller, ...]}` in the same order (anonymous for an unknown, expired or
 * revoked session). 401 for anyone else; 400 for a malformed body. One indexed query per call,
 * whatever the number of tokens: the gateway batches the lookups of concurrent requests.
 */
export function internalSessionRoute(options: {
  orm: MikroORM;
  sessions: SessionService;
}): SubgraphRoute {
  return async (req, res, verified) => {
    const { caller } = verified;
    if (caller.kind !== 'service' || caller.service !== 'gateway') {
      return sendJson(
        res,
        401,
        errorBody('UNAUTHENTICATED', 'Richiesta non autorizzata.', 'Unauthorized request.'),
      );
    }
    let tokens: unknown;
    try {
      tokens = (JSON.parse(await readBody(req, 64 * 1024)) as { tokens?: unknown } | null)?.tokens;
    } catch {
      tokens = undefined;
    }
    if (
      !Array.isArray(tokens) ||
      tokens.length === 0 ||
      tokens.length > SESSION_BATCH_MAX ||
      !tokens.every((t) => typeof t === 'string')
    ) {
      return sendJson(
        res,
        400,
        errorBody('BAD_USER_INPUT', 'Richiesta non valida.', 'Bad request.'),
      );
    }
    const callers = await options.sessions.resolveMany(options.orm.em.fork(), tokens);
    sendJson(res, 200, { callers }, { 'cache-control': 'no-store' });
  };
}

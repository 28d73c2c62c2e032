import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { errorBody, readBody, sendJson } from '@welfare/kit/http';
import type { SessionService } from './session.service.js';

/** The route the gateway calls for each request carrying a session cookie. */
export const INTERNAL_SESSION_ROUTE = 'POST /internal/session';

/**
 * `POST /internal/session` with `{"token": "..."}` and the gateway's own token
 * (caller `{kind:'service', service:'gateway'}`, audience `identity`): answers
 * `{"caller": Caller}` (anonymous for an unknown, expired or revoked session). 401 for anyone
 * else; 400 for a malformed body. One indexed query.
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
    let token: unknown;
    try {
      token = (JSON.parse(await readBody(req, 4096)) as { token?: unknown } | null)?.token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string') {
      return sendJson(
        res,
        400,
        errorBody('BAD_USER_INPUT', 'Richiesta non valida.', 'Bad request.'),
      );
    }
    const resolved = await options.sessions.resolve(options.orm.em.fork(), token);
    sendJson(res, 200, { caller: resolved }, { 'cache-control': 'no-store' });
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { createTokenVerifier, type VerifiedToken } from './auth.js';
import type { SubgraphContext } from './context.js';
import {
  Admission,
  Overloaded,
  withinBudget,
  type AdmissionSettings,
  type RequestBudget,
} from './deadline.js';
import { formatError, isUnexpectedError } from './errors.js';
import {
  Unauthorized,
  basePlugins,
  errorBody,
  graphqlHandler,
  listen,
  sendJson,
  sendUnauthorized,
  type RouteHandler,
  type RunningServer,
} from './http.js';
import { reportListening } from './listening.js';
import type { Logger } from './logger.js';
import { createServiceTokenVerifier, type InternalRoute } from './service.js';

export interface SubgraphOptions {
  /** The subgraph's name: the audience its gateway tokens must carry. */
  name: string;
  schema: GraphQLSchema;
  orm: MikroORM;
  host: string;
  port: number;
  /** The gateway's public key (JWK JSON). */
  gatewayPublicKey: string;
  logger: Logger;
  /**
   * Extra HTTP routes (`METHOD /path`). Like `/graphql`, they answer only the gateway: the kit
   * verifies its token (401 otherwise) and hands the route the verified caller.
   */
  routes?: Record<string, SubgraphRoute>;
  /**
   * Routes that verify their own caller (`METHOD /path`), served WITHOUT the gateway's token: a
   * payment provider's webhook, authenticated by its signature over the raw body. Each must
   * refuse whatever it cannot authenticate. Not under `/graphql`, `/internal/` or `/healthz`.
   */
  publicRoutes?: Record<string, RouteHandler>;
  /** Requests run at once and queued before the subgraph sheds load (see deadline.ts). */
  admission?: AdmissionSettings;
  /**
   * Internal operations other platform services call directly (`POST /internal/...`, see
   * service.ts): they answer only a service token addressed to this subgraph, signed by one of
   * `publicKeys` and naming a service among the route's callers (401 / 403 otherwise).
   */
  internal?: {
    /** The known services' public keys (JWK JSON by service name). */
    publicKeys: Readonly<Record<string, string>>;
    routes: Record<string, InternalRoute>;
  };
}

/** When no settings are given: see `subgraphEnv`'s MAX_IN_FLIGHT and MAX_QUEUED. */
const DEFAULT_ADMISSION: AdmissionSettings = { maxInFlight: 64, maxQueued: 1_000 };

/** An extra route of a subgraph, called only with a verified gateway token. */
export type SubgraphRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  verified: VerifiedToken,
) => Promise<void>;

export interface RunningSubgraph extends RunningServer {
  /** Drains HTTP, stops Apollo, closes the database pool. */
  stop(): Promise<void>;
}

/** Reads `Authorization: Bearer <token>` and verifies it; throws `Unauthorized` otherwise. */
export function bearerVerifier(verify: Awaited<ReturnType<typeof createTokenVerifier>>) {
  return async (req: IncomingMessage) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new Unauthorized();
    try {
      return await verify(header.slice('Bearer '.length).trim());
    } catch {
      throw new Unauthorized();
    }
  };
}

/** The budget of a request: its token's deadline; the caller hanging up ends it too. */
function budgetOf(deadline: number | undefined, res: ServerResponse): RequestBudget | undefined {
  if (deadline === undefined) return undefined;
  const budget: RequestBudget = { deadline, aborted: false };
  res.once('close', () => {
    if (!res.writableFinished) budget.aborted = true;
  });
  return budget;
}

/** The 503 of a request the subgraph will not start: nothing was done, try again later. */
function sendOverloaded(res: ServerResponse, err: Overloaded): void {
  const it = 'Servizio sovraccarico: la richiesta non è stata eseguita. Riprova tra poco.';
  const en = 'Service overloaded: the request was not carried out. Try again shortly.';
  sendJson(
    res,
    503,
    {
      errors: [
        {
          message: `${it} / ${en}`,
          extensions: {
            code: 'SERVICE_UNAVAILABLE',
            messages: { it, en },
            retryAfterSeconds: err.retryAfterSeconds,
          },
        },
      ],
    },
    { 'retry-after': String(err.retryAfterSeconds) },
  );
}

/**
 * Logs each unexpected error of an operation with its request id and operation name; what the
 * line says of the error itself is the logger's `err` serializer (logger.ts): no SQL, no values.
 */
function errorLogPlugin(logger: Logger): ApolloServerPlugin<SubgraphContext> {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await
    async requestDidStart() {
      return {
        // eslint-disable-next-line @typescript-eslint/require-await
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) continue;
            logger.error(
              {
                err: error.originalError ?? error,
                requestId: contextValue.requestId,
                operation: operationName ?? undefined,
              },
              'operation failed',
            );
          }
        },
      };
    },
  };
}

/**
 * Serves a subgraph: GraphQL at `/graphql` for gateway-token holders only (401 otherwise),
 * `GET /healthz` checking the database, no landing page, no traces, errors through `formatError`.
 * Every request runs under its token's deadline and through the admission queue (deadline.ts).
 * Public routes (`publicRoutes`) skip the token and the queue: they authenticate their own caller.
 * Once listening, it reports its port to the launcher that started it, if any (listening.ts).
 */
export async function startSubgraph(options: SubgraphOptions): Promise<RunningSubgraph> {
  const open: Record<string, RouteHandler> = {};
  for (const [key, route] of Object.entries(options.publicRoutes ?? {})) {
    const match = /^(GET|POST|PUT|DELETE) (\/[^\s]*)$/.exec(key);
    if (!match || /^\/(graphql|internal|healthz)(\/|$)/.test(match[2]!) || options.routes?.[key])
      throw new Error(`Public route not allowed: ${key}`);
    open[key] = route;
  }
  const verify = bearerVerifier(await createTokenVerifier(options.gatewayPublicKey, options.name));
  const { logger, orm } = options;
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    plugins: [
      ...basePlugins<SubgraphContext>(),
      ApolloServerPluginInlineTraceDisabled(),
      errorLogPlugin(logger),
    ],
    formatError: (formatted, error) => formatError(formatted, error),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // onShutdown drains HTTP, then stops Apollo and the pool; Apollo must not re-raise the signal first.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const health: RouteHandler = async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      sendJson(res, 200, { status: 'ok', service: options.name });
    } catch {
      sendJson(res, 503, { status: 'unavailable', service: options.name });
    }
  };

  const guarded: Record<string, RouteHandler> = {};
  for (const [key, route] of Object.entries(options.routes ?? {})) {
    guarded[key] = async (req, res) => {
      let verified: VerifiedToken;
      try {
        verified = await verify(req);
      } catch (err) {
        if (err instanceof Unauthorized) return sendUnauthorized(res);
        throw err;
      }
      const budget = budgetOf(verified.deadline, res);
      return budget
        ? withinBudget(budget, () => route(req, res, verified))
        : route(req, res, verified);
    };
  }
  if (options.internal) {
    const verifyService = await createServiceTokenVerifier(
      options.name,
      options.internal.publicKeys,
    );
    for (const [key, route] of Object.entries(options.internal.routes)) {
      if (!/^POST \/internal\//.test(key))
        throw new Error(`Internal route outside /internal: ${key}`);
      guarded[key] = async (req, res) => {
        const header = req.headers.authorization;
        let verified;
        try {
          if (!header?.startsWith('Bearer ')) throw new Unauthorized();
          verified = await verifyService(header.slice('Bearer '.length).trim());
        } catch {
          req.resume();
          return sendUnauthorized(res);
        }
        if (!route.callers.includes(verified.service)) {
          req.resume();
          return sendJson(
            res,
            403,
            errorBody('FORBIDDEN', 'Operazione non consentita.', 'Operation not allowed.'),
          );
        }
        const budget = budgetOf(verified.deadline, res);
        return budget
          ? withinBudget(budget, () => route.handle(req, res, verified))
          : route.handle(req, res, verified);
      };
    }
  }
  const admission = new Admission(options.admission ?? DEFAULT_ADMISSION);

  const handler = graphqlHandler<SubgraphContext>({
    apollo,
    logger,
    routes: { 'GET /healthz': health, ...open, ...guarded },
    context: async (req) => {
      const { caller, requestId, deadline, clientAddress } = await verify(req);
      return {
        em: orm.em.fork(),
        caller,
        requestId,
        ...(deadline ? { deadline } : {}),
        ...(clientAddress ? { clientAddress } : {}),
      };
    },
    around: async (context, _req, res, execute) => {
      let release: () => void;
      try {
        release = await admission.enter(context.deadline);
      } catch (err) {
        if (err instanceof Overloaded) return sendOverloaded(res, err);
        throw err;
      }
      try {
        const budget = budgetOf(context.deadline, res);
        await (budget ? withinBudget(budget, execute) : execute());
      } finally {
        release();
      }
    },
  });
  const running = await listen(handler, options.host, options.port);
  logger.info({ url: running.url }, `${options.name} subgraph ready`);
  reportListening(running.port);
  return {
    ...running,
    stop: async () => {
      await running.close();
      await apollo.stop();
      await orm.close();
    },
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { createTokenVerifier, type VerifiedToken } from './auth.js';
import type { SubgraphContext } from './context.js';
import { formatError } from './errors.js';
import {
  Unauthorized,
  basePlugins,
  graphqlHandler,
  listen,
  sendJson,
  sendUnauthorized,
  type RouteHandler,
  type RunningServer,
} from './http.js';
import type { Logger } from './logger.js';

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
}

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

/**
 * Serves a subgraph: GraphQL at `/graphql` for gateway-token holders only (401 otherwise),
 * `GET /healthz` checking the database, no landing page, no traces, errors through `formatError`.
 */
export async function startSubgraph(options: SubgraphOptions): Promise<RunningSubgraph> {
  const verify = bearerVerifier(await createTokenVerifier(options.gatewayPublicKey, options.name));
  const { logger, orm } = options;
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    plugins: [...basePlugins<SubgraphContext>(), ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) =>
      formatError(formatted, error, { log: (err) => logger.error({ err }, 'operation failed') }),
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
      return route(req, res, verified);
    };
  }

  const handler = graphqlHandler<SubgraphContext>({
    apollo,
    logger,
    routes: { 'GET /healthz': health, ...guarded },
    context: async (req) => {
      const { caller, requestId } = await verify(req);
      return { em: orm.em.fork(), caller, requestId };
    },
  });
  const running = await listen(handler, options.host, options.port);
  logger.info({ url: running.url }, `${options.name} subgraph ready`);
  return {
    ...running,
    stop: async () => {
      await running.close();
      await apollo.stop();
      await orm.close();
    },
  };
}

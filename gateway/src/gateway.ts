import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DEFAULT_MESSAGES, type Caller, type Logger } from '@welfare/kit';
import { createTokenSigner } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import {
  basePlugins,
  errorBody,
  graphqlHandler,
  listen,
  requestIdFrom,
  sendJson,
  type RunningServer,
} from '@welfare/kit/http';
import { GraphQLError, Kind, OperationTypeNode, parse } from 'graphql';
import type { GatewayConfig } from './config.js';
import { isRequestError, maskError, refusedInput, requestErrorFields } from './errors.js';
import { clientAddressOf } from './client-address.js';
import { createDownloadProxy } from './downloads.js';
import { createUploadProxy } from './uploads.js';
import {
  createSessionResolver,
  sessionTokenFrom,
  type SessionResolver,
  type Signer,
} from './session.js';

/** What the gateway knows of a request; never forwarded as is, only inside signed tokens. */
export interface GatewayContext {
  caller: Caller;
  requestId: string;
  identityUnavailable: boolean;
  /** The client's network address (see client-address.ts), when known. */
  clientAddress?: string;
  /** Forgets the caller's cached session (after a logout). */
  evictSession?: () => void;
}

/**
 * The Mutation fields that the identity subgraph resolves, read from the supergraph (`@join__field(graph:
 * IDENTITY)`): logins, logout, invitations, new organisations. They change who the caller is.
 */
export function identityMutations(supergraphSdl: string): Set<string> {
  const names = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Mutation') {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const owned = field.directives?.some(
        (d) =>
          d.name.value === 'join__field' &&
          d.arguments?.some(
            (a) =>
              a.name.value === 'graph' &&
              a.value.kind === Kind.ENUM &&
              a.value.value === 'IDENTITY',
          ),
      );
      if (owned) names.add(field.name.value);
    }
  }
  return names;
}

/**
 * Evicts the caller's cached session once a mutation of identity has run (a login rotates the
 * session, a logout revokes it, an accepted invitation changes the memberships).
 */
function sessionEvictionPlugin(mutations: Set<string>): ApolloServerPlugin<GatewayContext> {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await
    async requestDidStart() {
      let identityChange = false;
      return {
        // eslint-disable-next-line @typescript-eslint/require-await
        async didResolveOperation({ operation }) {
          identityChange =
            operation?.operation === OperationTypeNode.MUTATION &&
            operation.selectionSet.selections.some(
              (s) => s.kind === Kind.FIELD && mutations.has(s.name.value),
            );
        },
        // eslint-disable-next-line @typescript-eslint/require-await
        async willSendResponse({ contextValue }) {
          if (identityChange) contextValue.evictSession?.();
        },
      };
    },
  };
}

/**
 * Calls one subgraph: a fresh header set (nothing the client sent is forwarded), a short-lived
 * token signed for this subgraph's audience carrying the caller, a timeout, and an unreachable
 * subgraph reported as SERVICE_UNAVAILABLE.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    private readonly sign: Signer,
    private readonly timeoutMs: number,
    private readonly deadlineMarginMs: number,
  ) {
    super({
      url,
      // Kept-alive connections, the answer read whole, the call aborted at the timeout.
      fetcher: (input, init) => httpRequest(input, { ...init, timeoutMs }),
    });
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // The gateway builds each subgraph request with a fresh header set (content-type only):
    // nothing the client sent (cookies, identity headers, its Authorization) is forwarded.
    const headers = request.http?.headers;
    if (!headers) return;
    const { caller, requestId, clientAddress } = context as GatewayContext;
    // The call's deadline: before the fetch's own timeout (started after this), by the margin.
    const deadline = Date.now() + this.timeoutMs - this.deadlineMarginMs;
    const token = await this.sign(this.subgraphName, caller, requestId, deadline, clientAddress);
    headers.set('authorization', `Bearer ${token}`);
    headers.set('x-request-id', requestId);
  }

  /**
   * A subgraph's own refusal keeps its code; its refusal of the values it was sent (400: a
   * variable or literal GraphQL there did not accept, such as `SafeInt: 1.5`; nothing ran) is
   * BAD_USER_INPUT with the fields; a 503 the subgraph answered (it shed the request: nothing was
   * done) keeps its retry hint; anything else (timeout, lost connection) is SERVICE_UNAVAILABLE
   * with `outcome: UNKNOWN`: the call may have taken effect before its deadline, and the client
   * finds out by asking for the operation by its idempotency key.
   */
  override didEncounterError(
    error: Error,
    _fetchRequest?: unknown,
    _fetchResponse?: unknown,
    _context?: unknown,
    request?: { query?: string },
  ): never {
    if (error instanceof GraphQLError && error.extensions.code) {
      throw new GraphQLError(error.message, {
        extensions: { ...error.extensions, serviceName: this.subgraphName },
      });
    }
    const refused =
      error instanceof GraphQLError
        ? refusedInput(error.extensions.response, request?.query)
        : undefined;
    if (refused) {
      throw new GraphQLError(refused.message, {
        extensions: {
          code: 'BAD_USER_INPUT',
          messages: DEFAULT_MESSAGES.BAD_USER_INPUT,
          ...(refused.fields.length ? { fields: refused.fields } : {}),
          ...(refused.reason ? { reason: refused.reason } : {}),
          serviceName: this.subgraphName,
        },
      });
    }
    const shed = error instanceof GraphQLError ? shedAnswer(error) : undefined;
    throw new GraphQLError(`Subgraph ${this.subgraphName} unavailable`, {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        service: this.subgraphName,
        ...(shed ? { retryAfterSeconds: shed.retryAfterSeconds } : { outcome: 'UNKNOWN' }),
      },
    });
  }
}

/** The retry hint of a subgraph's 503 answer (a request it refused before starting), if it is one. */
function shedAnswer(error: GraphQLError): { retryAfterSeconds: number } | undefined {
  const response = error.extensions.response as
    | { status?: unknown; body?: { errors?: { extensions?: Record<string, unknown> }[] } }
    | undefined;
  if (response?.status !== 503) return undefined;
  const ext = response.body?.errors?.[0]?.extensions;
  if (ext?.code !== 'SERVICE_UNAVAILABLE') return undefined;
  const retry = ext.retryAfterSeconds;
  return {
    retryAfterSeconds:
      typeof retry === 'number' && Number.isInteger(retry) && retry > 0 && retry < 3600 ? retry : 1,
  };
}

/** Adds the request id to every error and to the response headers. */
function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await
    async requestDidStart() {
      return {
        // eslint-disable-next-line @typescript-eslint/require-await
        async willSendResponse({ response, contextValue, source }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // An operation refused before execution (limits, parse) is the client's fault: 400.
          if (
            result?.errors &&
            result.data === undefined &&
            result.errors.every((e) => isRequestError(e.extensions))
          ) {
            response.http.status = 400;
          }
          if (result?.errors) {
            result.errors = result.errors.map((e) => {
              // A literal the gateway refused: the argument at the error's location.
              const fields =
                isRequestError(e.extensions) && !e.extensions?.fields
                  ? requestErrorFields(e, source)
                  : [];
              return {
                ...e,
                extensions: {
                  ...e.extensions,
                  ...(fields.length ? { fields } : {}),
                  requestId: contextValue.requestId,
                },
              };
            });
          }
        },
      };
    },
  };
}

export interface RunningGateway extends RunningServer {
  stop(): Promise<void>;
}

/**
 * The Apollo gateway over the supergraph: one data source per subgraph, at its configured URL.
 * Records each subgraph's URL in `urls` as Apollo builds its data source (when it starts).
 */
function subgraphGateway(
  config: GatewayConfig,
  supergraphSdl: string,
  sign: Signer,
  urls: Map<string, string>,
): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const target = config.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      urls.set(name, target);
      return new SubgraphDataSource(
        name,
        target,
        sign,
        config.SUBGRAPH_TIMEOUT_MS,
        config.SUBGRAPH_DEADLINE_MARGIN_MS,
      );
    },
  });
}

/** The Apollo server over the gateway: the operation limits, no reporting to Apollo, masked errors. */
function gatewayApollo(
  config: GatewayConfig,
  supergraphSdl: string,
  gateway: ApolloGateway,
): ApolloServer<GatewayContext> {
  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_DEPTH },
    maxAliases: { n: config.MAX_ALIASES },
    // Tokens are limited by graphql-js's own parser (below): a clean 400, where armor's plugin gives 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: config.MAX_COST },
    maxDirectives: { n: config.MAX_DIRECTIVES },
    blockFieldSuggestion: { enabled: config.production },
  });
  const protection = armor.protect();

  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // onShutdown drains HTTP first, then stops Apollo.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    validationRules: protection.validationRules,
    plugins: [
      ...basePlugins<GatewayContext>(),
      ...(protection.plugins as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      requestIdPlugin(),
      sessionEvictionPlugin(identityMutations(supergraphSdl)),
    ],
    formatError: (formatted) => maskError(formatted),
  });
}

/** Resolves sessions with the identity subgraph; `null` when the supergraph has none. */
function sessionResolverFor(
  config: GatewayConfig,
  urls: Map<string, string>,
  sign: Signer,
): SessionResolver | null {
  const identityUrl = urls.get('identity');
  return identityUrl
    ? createSessionResolver({
        identityUrl,
        sign,
        timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        deadlineMarginMs: config.SUBGRAPH_DEADLINE_MARGIN_MS,
        cacheTtlMs: config.SESSION_CACHE_TTL_MS,
        cacheMax: config.SESSION_CACHE_MAX,
      })
    : null;
}

/** The GraphQL handler: `GET /healthz`, and each operation run as the session's caller. */
function gatewayGraphqlHandler(
  apollo: ApolloServer<GatewayContext>,
  logger: Logger,
  resolveSession: SessionResolver | null,
  trustedProxies: ReadonlySet<string>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return graphqlHandler<GatewayContext>({
    apollo,
    logger,
    routes: {
      // eslint-disable-next-line @typescript-eslint/require-await
      'GET /healthz': async (_req, res) => sendJson(res, 200, { status: 'ok', service: 'gateway' }),
    },
    context: async (req: IncomingMessage) => {
      const requestId = requestIdFrom(req);
      const token = sessionTokenFrom(req.headers.authorization);
      const address = clientAddressOf(req, trustedProxies);
      const clientAddress = address ? { clientAddress: address } : {};
      if (!resolveSession)
        return {
          caller: { kind: 'anonymous' },
          requestId,
          identityUnavailable: true,
          ...clientAddress,
        };
      const session = await resolveSession(token, requestId);
      return {
        ...session,
        requestId,
        ...clientAddress,
        evictSession: token ? () => resolveSession.evict(token) : undefined,
      };
    },
  });
}

/** A proxy (upload or download): answers true when the request was its own. */
type RequestProxy = (
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
) => Promise<boolean>;

/**
 * The gateway's request listener: uploads, then downloads, then GraphQL (and `/healthz`). A
 * failed upload or download is answered 500, or its connection destroyed if the answer started.
 */
function gatewayListener(
  logger: Logger,
  uploads: RequestProxy,
  downloads: RequestProxy,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = requestIdFrom(req);
    uploads(req, res, requestId)
      .then((handled) => handled || downloads(req, res, requestId))
      .then(
        (handled) => {
          if (!handled) handler(req, res);
        },
        (err: unknown) => {
          logger.error({ err }, 'upload or download failed');
          if (!res.headersSent) {
            sendJson(
              res,
              500,
              errorBody('INTERNAL_SERVER_ERROR', 'Errore interno.', 'Internal error.', requestId),
            );
          } else {
            res.destroy();
          }
        },
      );
  };
}

/** Builds and starts the gateway over the committed supergraph. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const supergraphSdl = await readFile(config.SUPERGRAPH_PATH, 'utf8');
  const sign = await createTokenSigner(config.GATEWAY_PRIVATE_KEY);
  // Filled in by Apollo as it starts: each subgraph's URL.
  const urls = new Map<string, string>();
  const gateway = subgraphGateway(config, supergraphSdl, sign, urls);
  const apollo = gatewayApollo(config, supergraphSdl, gateway);
  await apollo.start();

  const resolveSession = sessionResolverFor(config, urls, sign);
  const handler = gatewayGraphqlHandler(apollo, logger, resolveSession, config.TRUSTED_PROXIES);
  const resolveCaller = async (req: IncomingMessage, requestId: string): Promise<Caller> =>
    resolveSession
      ? (await resolveSession(sessionTokenFrom(req.headers.authorization), requestId)).caller
      : { kind: 'anonymous' };
  const uploads = createUploadProxy({
    subgraphUrls: urls,
    sign,
    timeoutMs: config.UPLOAD_TIMEOUT_MS,
    resolveCaller,
  });
  const downloads = createDownloadProxy({
    subgraphUrls: urls,
    sign,
    timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
    resolveCaller,
  });
  const running = await listen(
    gatewayListener(logger, uploads, downloads, handler),
    config.HOST,
    config.PORT,
  );
  logger.info({ url: `${running.url}/graphql` }, 'gateway ready');
  return {
    ...running,
    stop: async () => {
      await running.close();
      await apollo.stop();
    },
  };
}

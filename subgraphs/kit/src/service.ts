import { sign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { z } from 'zod';
import { TOKEN_ALG, importKey, importPrivateKey } from './auth.js';
import { httpRequest, type HttpResponse } from './client.js';
import { currentBudget } from './deadline.js';
import { DomainError, type FieldError, type Localized } from './errors.js';
import { DOMAIN_ERROR_STATUS, readBody, sendJson } from './http.js';

/*
 * Service-to-service calls: one platform process calling another's internal operations (the
 * payments subgraph calling a fund owner's hold, capture, release, refund), not through the gateway.
 *
 * - Each calling service holds its own Ed25519 private key (`SERVICE_PRIVATE_KEY`); the callee holds
 *   the public keys of the services it knows (`SERVICE_PUBLIC_KEYS`, a JSON object by name). A
 *   subgraph holding another's public key cannot mint its tokens.
 * - A token is a compact JWS (EdDSA) with header `kid` = the calling service; claims `iss`
 *   `welfare-service:<name>`, `aud` the callee's name, `rid` (the request id), `dl` (the caller's
 *   deadline, epoch ms, when it has one), `iat`, `exp` (`iat` + 60 s).
 * - Each internal route names the services it answers; any other (a known service not named, a
 *   gateway token, no token) is refused: 401 for a token that does not verify, 403 for a service
 *   that is not among the route's callers.
 * - The body is JSON, validated by the route's zod schema (400 with a message per field); a
 *   refusal is the platform's error body (`sendDomainError`'s shape) with `extensions.reason` when
 *   the error has one.
 * - On the caller's side `ServiceClient` answers a refusal (4xx) as `ServiceRefusal` and anything
 *   else it cannot read (a timeout, a reset connection, a 5xx) as `OutcomeUnknown`: the operation
 *   may or may not have happened, and is retried with the same idempotency key.
 */

/** Lifetime of a service token, in seconds. */
export const SERVICE_TOKEN_TTL_SECONDS = 60;
const ISSUER_PREFIX = 'welfare-service:';

/** A service's name: lower-case words joined by hyphens (the subgraphs' names). */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Mints tokens naming `service` (the calling side). The token for one call:
 * `(audience, requestId, deadline?)`, `deadline` in epoch ms.
 */
export function createServiceTokenSigner(service: string, privateKeyJwk: string) {
  if (!SERVICE_NAME.test(service)) throw new Error(`Bad service name: ${service}`);
  const key = importPrivateKey(privateKeyJwk);
  const header = base64url(JSON.stringify({ alg: TOKEN_ALG, kid: service }));
  return (audience: string, requestId: string, deadline?: number): string => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      rid: requestId,
      ...(deadline === undefined ? {} : { dl: deadline }),
      iss: `${ISSUER_PREFIX}${service}`,
      aud: audience,
      iat,
      exp: iat + SERVICE_TOKEN_TTL_SECONDS,
    };
    const input = `${header}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${sign(null, Buffer.from(input, 'ascii'), key).toString('base64url')}`;
  };
}

/** What a verified service token says. */
export interface VerifiedServiceToken {
  /** The calling service. */
  service: string;
  requestId: string;
  /** When the caller stops waiting (epoch ms), if it said. */
  deadline?: number;
}

/**
 * Verifies service tokens addressed to `audience` (the callee's side) with the public keys of the
 * known services (JWK JSON by name). Throws on any defect: an unknown `kid`, a bad signature, an
 * issuer that is not the key's service, another audience, an expired or future token.
 */
export async function createServiceTokenVerifier(
  audience: string,
  publicKeys: Readonly<Record<string, string>>,
) {
  const keys = new Map<string, CryptoKey>();
  for (const [name, jwk] of Object.entries(publicKeys)) {
    if (!SERVICE_NAME.test(name)) throw new Error(`Bad service name: ${name}`);
    keys.set(name, await importKey(jwk));
  }
  return async (token: string): Promise<VerifiedServiceToken> => {
    const { kid } = decodeProtectedHeader(token);
    const key = typeof kid === 'string' ? keys.get(kid) : undefined;
    if (!key || typeof kid !== 'string') throw new Error('Unknown service');
    const { payload } = await jwtVerify<JWTPayload & { rid?: unknown; dl?: unknown }>(token, key, {
      issuer: `${ISSUER_PREFIX}${kid}`,
      audience,
      algorithms: [TOKEN_ALG],
      maxTokenAge: SERVICE_TOKEN_TTL_SECONDS + 5,
    });
    const deadline = z.number().int().positive().optional().parse(payload.dl);
    return {
      service: kid,
      requestId: typeof payload.rid === 'string' ? payload.rid.slice(0, 100) : '',
      ...(deadline === undefined ? {} : { deadline }),
    };
  };
}

/** A refusal of an internal operation: the callee answered it with a domain error. */
export class ServiceRefusal extends DomainError {
  constructor(
    code: DomainError['code'],
    message: Localized,
    readonly reason: string | undefined,
    fields: FieldError[],
    readonly status: number,
  ) {
    super(code, message, { fields });
    this.name = 'ServiceRefusal';
  }
}

/**
 * The outcome of an internal operation is unknown: the call timed out, the connection broke, or
 * the callee failed (5xx). The operation may have happened: retry it with the same key.
 */
export class OutcomeUnknown extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    cause?: unknown,
  ) {
    super(`Outcome of ${service} ${operation} unknown`, { cause });
    this.name = 'OutcomeUnknown';
  }
}

/** An internal operation: who may call it, what it takes, what it does. */
export interface InternalOperation<I> {
  /** The services allowed to call it (by name). */
  callers: readonly string[];
  input: z.ZodType<I>;
  run: (input: I, verified: VerifiedServiceToken) => Promise<unknown>;
}

/** An internal route as the kit mounts it (after the token check). */
export type InternalHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  verified: VerifiedServiceToken,
) => Promise<void>;

/** An internal operation with its callers, for `startSubgraph`'s `internal.routes`. */
export interface InternalRoute {
  callers: readonly string[];
  handle: InternalHandler;
}

/** The error body of an internal route (the platform's shape, with `reason` when known). */
function sendRefusal(res: ServerResponse, err: DomainError): void {
  const reason = (err as { reason?: unknown }).reason;
  sendJson(res, DOMAIN_ERROR_STATUS[err.code] ?? 409, {
    errors: [
      {
        message: `${err.localized.it} / ${err.localized.en}`,
        extensions: {
          code: err.code,
          messages: err.localized,
          ...(typeof reason === 'string' ? { reason } : {}),
          ...(err.fields.length ? { fields: err.fields } : {}),
        },
      },
    ],
  });
}

const INVALID: Localized = { it: 'Valore non valido.', en: 'Invalid value.' };

/** The zod issues of a body as field errors (`legId`, `offer.category`). */
function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || 'body',
    message: INVALID,
  }));
}

/**
 * An internal operation as a route: reads the JSON body (1 MB at most), validates it, runs the
 * operation and answers its result as JSON (200). Domain errors are answered as refusals; anything
 * else propagates to the server's 500 (no detail to the caller).
 */
export function internalRoute<I>(operation: InternalOperation<I>): InternalRoute {
  return {
    callers: operation.callers,
    handle: async (req, res, verified) => {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || 'null');
      } catch {
        return sendRefusal(res, DomainError.badInput([{ field: 'body', message: INVALID }]));
      }
      const parsed = operation.input.safeParse(body);
      if (!parsed.success)
        return sendRefusal(res, DomainError.badInput(fieldErrorsOf(parsed.error)));
      try {
        sendJson(res, 200, { data: await operation.run(parsed.data, verified) });
      } catch (err) {
        if (err instanceof DomainError) return sendRefusal(res, err);
        throw err;
      }
    },
  };
}

/** The refusal body an internal route answers. */
const refusalBody = z.object({
  errors: z
    .array(
      z.object({
        extensions: z.object({
          code: z.enum(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']),
          messages: z.object({ it: z.string(), en: z.string() }),
          reason: z.string().optional(),
          fields: z
            .array(
              z.object({
                field: z.string(),
                message: z.object({ it: z.string(), en: z.string() }),
              }),
            )
            .optional(),
        }),
      }),
    )
    .min(1),
});

export interface ServiceClientOptions {
  /** This service's name (the token's `kid` and issuer). */
  service: string;
  /** This service's private key (Ed25519 JWK JSON). */
  privateKey: string;
  /** The called service's name (the token's audience). */
  audience: string;
  /** The called service's base URL (`http://host:port`). */
  baseUrl: string;
  /** Give up waiting after this long (the outcome is then unknown). Default 5 s. */
  timeoutMs?: number;
}

/** Calls one service's internal operations as this service. */
export class ServiceClient {
  private readonly mint: ReturnType<typeof createServiceTokenSigner>;
  private readonly timeoutMs: number;

  constructor(private readonly options: ServiceClientOptions) {
    this.mint = createServiceTokenSigner(options.service, options.privateKey);
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /**
   * POSTs `input` to `path` and answers the operation's result, read with `output`. The call's
   * deadline is the sooner of the timeout and the running request's own deadline, so the callee
   * commits nothing after this side has stopped waiting.
   */
  async call<O>(path: string, input: unknown, output: z.ZodType<O>, requestId = ''): Promise<O> {
    const now = Date.now();
    const budget = currentBudget();
    const deadline = Math.min(now + this.timeoutMs, budget?.deadline ?? Number.POSITIVE_INFINITY);
    const waitMs = Math.max(1, deadline - now);
    let response: HttpResponse;
    try {
      response = await httpRequest(new URL(path, this.options.baseUrl), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.mint(this.options.audience, requestId, deadline)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(input),
        timeoutMs: waitMs,
      });
    } catch (err) {
      throw new OutcomeUnknown(this.options.audience, path, err);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw new OutcomeUnknown(this.options.audience, path, err);
    }
    if (response.ok) {
      const data = z.object({ data: output }).safeParse(body);
      if (!data.success) throw new OutcomeUnknown(this.options.audience, path, data.error);
      return data.data.data;
    }
    const refusal = response.status < 500 ? refusalBody.safeParse(body) : undefined;
    if (!refusal?.success) throw new OutcomeUnknown(this.options.audience, path, response.status);
    const { code, messages, reason, fields } = refusal.data.errors[0]!.extensions;
    throw new ServiceRefusal(code, messages, reason, fields ?? [], response.status);
  }
}

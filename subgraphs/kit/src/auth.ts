import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';
import { ORGANISATION_KINDS, ROLES, type Caller } from './caller.js';
import { z } from 'zod';

/**
 * Gateway-to-subgraph tokens: short-lived EdDSA JWTs signed by the gateway, one audience per
 * subgraph. Subgraphs hold only the public key, so a subgraph cannot mint tokens for another.
 */
export const TOKEN_ISSUER = 'welfare-gateway';
export const TOKEN_ALG = 'EdDSA';
/** Lifetime of a gateway token, in seconds. */
export const TOKEN_TTL_SECONDS = 60;

const callerClaim = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anonymous') }),
  z.object({
    kind: z.literal('person'),
    personId: z.string().uuid(),
    sessionId: z.string().min(1),
    platformAdmin: z.boolean(),
    memberships: z.array(
      z.object({
        organisationId: z.string().uuid(),
        organisationKind: z.enum(ORGANISATION_KINDS),
        role: z.enum(ROLES),
      }),
    ),
    fiscalCode: z
      .string()
      .regex(/^[A-Z0-9]{16}$/)
      .optional(),
  }),
  z.object({ kind: z.literal('service'), service: z.string().min(1) }),
]);

/** A call's deadline: epoch milliseconds. */
const deadlineClaim = z.number().int().positive();

/** The client's network address as the gateway established it (an IP address, at most 64 characters). */
const addressClaim = z.string().min(1).max(64);

/** A new Ed25519 key pair as JWK JSON strings (for development runs and tests). */
export async function generateGatewayKeys(): Promise<{ privateKey: string; publicKey: string }> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALG, {
    crv: 'Ed25519',
    extractable: true,
  });
  return {
    privateKey: JSON.stringify(await exportJWK(privateKey)),
    publicKey: JSON.stringify(await exportJWK(publicKey)),
  };
}

/** An Ed25519 public JWK (JSON) as a verification key. */
export async function importKey(jwkJson: string): Promise<CryptoKey> {
  const jwk = JSON.parse(jwkJson) as JWK;
  const key = await importJWK(jwk, TOKEN_ALG);
  if (key instanceof Uint8Array) throw new Error('Gateway key must be an asymmetric JWK');
  return key;
}

/** A private signing key as a node:crypto key (an Ed25519 private JWK, nothing else). */
export function importPrivateKey(jwkJson: string): KeyObject {
  const jwk = JSON.parse(jwkJson) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
    throw new Error('Gateway key must be an Ed25519 private JWK');
  }
  return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The protected header of every gateway token, encoded once. */
const ENCODED_HEADER = base64url(JSON.stringify({ alg: TOKEN_ALG }));

/**
 * Mints gateway tokens (gateway side). `deadline` (epoch ms) is when the gateway stops waiting for
 * this call: the subgraph must not commit anything after it (see the kit's deadline.ts).
 *
 * The compact JWS is built by hand and signed with node:crypto's synchronous Ed25519 (one signature
 * per subgraph call: WebCrypto's asynchronous job costs several times more). The token is what
 * jose's SignJWT made: header `{"alg":"EdDSA"}`; claims `caller`, `rid`, `dl` (when given), `addr`
 * (the client's address, when given), `iss`, `aud`, `iat` and `exp` (`iat` + TOKEN_TTL_SECONDS), in
 * that order.
 */
// eslint-disable-next-line @typescript-eslint/require-await
export async function createTokenSigner(privateKeyJwk: string) {
  const key = importPrivateKey(privateKeyJwk);
  const mint = (
    audience: string,
    caller: Caller,
    requestId: string,
    deadline?: number,
    clientAddress?: string,
  ) => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      caller,
      rid: requestId,
      ...(deadline === undefined ? {} : { dl: deadline }),
      ...(clientAddress === undefined ? {} : { addr: clientAddress }),
      iss: TOKEN_ISSUER,
      aud: audience,
      iat,
      exp: iat + TOKEN_TTL_SECONDS,
    };
    const signingInput = `${ENCODED_HEADER}.${base64url(JSON.stringify(claims))}`;
    const signature = sign(null, Buffer.from(signingInput, 'ascii'), key);
    return `${signingInput}.${signature.toString('base64url')}`;
  };
  // Still a promise (the signer's contract): a failure rejects.
  return (
    audience: string,
    caller: Caller,
    requestId: string,
    deadline?: number,
    clientAddress?: string,
  ): Promise<string> => {
    try {
      return Promise.resolve(mint(audience, caller, requestId, deadline, clientAddress));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
}

export interface VerifiedToken {
  caller: Caller;
  requestId: string;
  /** When the gateway stops waiting (epoch ms), if it said. */
  deadline?: number;
  /** The client's network address, when the gateway said (login throttling keys on it). */
  clientAddress?: string;
}

/** Verifies gateway tokens for one audience (subgraph side). Throws on any defect. */
export async function createTokenVerifier(publicKeyJwk: string, audience: string) {
  const key = await importKey(publicKeyJwk);
  return async (token: string): Promise<VerifiedToken> => {
    const { payload } = await jwtVerify<
      JWTPayload & { caller?: unknown; rid?: unknown; dl?: unknown; addr?: unknown }
    >(token, key, {
      issuer: TOKEN_ISSUER,
      audience,
      algorithms: [TOKEN_ALG],
      maxTokenAge: TOKEN_TTL_SECONDS + 5,
    });
    const caller = callerClaim.parse(payload.caller);
    const deadline = payload.dl === undefined ? undefined : deadlineClaim.parse(payload.dl);
    const clientAddress = payload.addr === undefined ? undefined : addressClaim.parse(payload.addr);
    return {
      caller,
      requestId: typeof payload.rid === 'string' ? payload.rid : '',
      ...(deadline === undefined ? {} : { deadline }),
      ...(clientAddress === undefined ? {} : { clientAddress }),
    };
  };
}

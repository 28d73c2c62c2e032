import {
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
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

/** An Ed25519 public JWK (JSON) as a node:crypto key (nothing else). */
function importPublicKey(jwkJson: string): KeyObject {
  const jwk = JSON.parse(jwkJson) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('Gateway key must be an Ed25519 public JWK');
  }
  const { d: _private, ...publicPart } = jwk;
  return createPublicKey({ key: publicPart as JsonWebKey, format: 'jwk' });
}

/** The JSON object a base64url part of a compact JWS encodes; throws on anything else. */
function jsonPart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('JWS part is not a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Verifies gateway tokens for one audience (subgraph side). Throws on any defect.
 *
 * The compact JWS is checked by hand with node:crypto's synchronous Ed25519, as the signer makes
 * it (one verification per request: jose's WebCrypto verification is an asynchronous job on the
 * thread pool, a hop and several times the CPU). It checks what jose's jwtVerify checked: the
 * header names EdDSA and no critical extension; the signature over the parts as sent; `iss`,
 * `aud` (a string or a list holding it), `exp` in the future, `nbf` if present, and `iat` a
 * number at most TOKEN_TTL_SECONDS + 5 s old and not in the future.
 */
// eslint-disable-next-line @typescript-eslint/require-await
export async function createTokenVerifier(publicKeyJwk: string, audience: string) {
  const key = importPublicKey(publicKeyJwk);
  const check = (token: string): VerifiedToken => {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('Not a compact JWS');
    const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
    const header = jsonPart(encodedHeader);
    if (header.alg !== TOKEN_ALG || header.crit !== undefined || header.b64 !== undefined) {
      throw new Error('Unexpected JWS header');
    }
    const signed = verify(
      null,
      Buffer.from(`${encodedHeader}.${encodedClaims}`, 'ascii'),
      key,
      Buffer.from(encodedSignature, 'base64url'),
    );
    if (!signed) throw new Error('Signature verification failed');
    const payload = jsonPart(encodedClaims);
    const now = Math.floor(Date.now() / 1000);
    const aud = payload.aud;
    if (payload.iss !== TOKEN_ISSUER) throw new Error('Unexpected "iss" claim');
    if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) {
      throw new Error('Unexpected "aud" claim');
    }
    if (typeof payload.exp !== 'number' || payload.exp <= now) throw new Error('Token expired');
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) {
      throw new Error('Token not yet valid');
    }
    const iat = payload.iat;
    if (typeof iat !== 'number' || iat > now || now - iat > TOKEN_TTL_SECONDS + 5) {
      throw new Error('Unexpected "iat" claim');
    }
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
  // Still a promise (the verifier's contract): a defect rejects.
  return (token: string): Promise<VerifiedToken> => {
    try {
      return Promise.resolve(check(token));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
}

import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  TOKEN_ISSUER,
  createTokenSigner,
  createTokenVerifier,
  generateGatewayKeys,
} from './auth.js';
import type { Caller } from './caller.js';

const person: Caller = {
  kind: 'person',
  personId: '3f1f7a52-5f53-4a8e-9a0e-2b7f7e9a0c11',
  sessionId: 's1',
  platformAdmin: false,
  memberships: [
    {
      organisationId: '0b3c1a9e-0f6f-4d4a-8f0b-7d2a9a6e5c44',
      organisationKind: 'COMUNE',
      role: 'OPERATOR',
    },
  ],
};

describe('gateway tokens', () => {
  it('round-trips the caller for the right audience', async () => {
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    const verified = await verify(await sign('identity', person, 'req-1'));
    expect(verified).toEqual({ caller: person, requestId: 'req-1' });
  });

  it('carries the call’s deadline, signed, and refuses a malformed one', async () => {
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    const deadline = Date.now() + 2_750;
    expect(await verify(await sign('identity', person, 'req-2', deadline))).toEqual({
      caller: person,
      requestId: 'req-2',
      deadline,
    });
    const { privateKey } = keys;
    const key = await importForTest(privateKey);
    for (const dl of ['soon', 1.5, -1]) {
      const token = await new SignJWT({ caller: person, rid: 'r', dl })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience('identity')
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
      await expect(verify(token)).rejects.toThrow();
    }
  });

  it('carries the client’s address, signed, and refuses a malformed one', async () => {
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    expect(await verify(await sign('identity', person, 'req-4', undefined, '203.0.113.7'))).toEqual(
      { caller: person, requestId: 'req-4', clientAddress: '203.0.113.7' },
    );
    const key = await importForTest(keys.privateKey);
    for (const addr of ['', 42, 'x'.repeat(65)]) {
      const token = await new SignJWT({ caller: person, rid: 'r', addr })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience('identity')
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
      await expect(verify(token)).rejects.toThrow();
    }
  });

  it('refuses another audience, another key and an expired token', async () => {
    const keys = await generateGatewayKeys();
    const other = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const forge = await createTokenSigner(other.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');

    await expect(verify(await sign('public-welfare', person, 'r'))).rejects.toThrow();
    await expect(verify(await forge('identity', person, 'r'))).rejects.toThrow();

    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const stale = await new SignJWT({ caller: person })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience('identity')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 540)
      .sign(privateKey);
    await expect(verify(stale)).rejects.toThrow();
    await expect(verify('not-a-jwt')).rejects.toThrow();
  });

  it('refuses a token whose caller claim is malformed', async () => {
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    const bad = { kind: 'person', personId: 'nope' } as unknown as Caller;
    await expect(verify(await sign('identity', bad, 'r'))).rejects.toThrow();
  });
});

async function importForTest(jwk: string) {
  const key = await importJWK(JSON.parse(jwk) as JWK, 'EdDSA');
  if (key instanceof Uint8Array) throw new Error('asymmetric key expected');
  return key;
}

/** A compact JWS with one part replaced. */
function withPart(token: string, index: number, part: string): string {
  const parts = token.split('.');
  parts[index] = part;
  return parts.join('.');
}
function flipFirstBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown;

describe('the gateway token signer (node:crypto)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('mints, byte for byte, the token jose’s SignJWT minted', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00.750Z'));
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const key = await importForTest(keys.privateKey);
    const deadline = Date.now() + 2_750;
    const jose = (dl?: number) =>
      new SignJWT({ caller: person, rid: 'req-9', ...(dl === undefined ? {} : { dl }) })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience('public-welfare')
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
    // Ed25519 signatures are deterministic: same header and claims, same token.
    expect(await sign('public-welfare', person, 'req-9', deadline)).toBe(await jose(deadline));
    expect(await sign('public-welfare', person, 'req-9')).toBe(await jose());
    const [header, claims] = (await sign('public-welfare', person, 'req-9', deadline)).split('.');
    expect(decode(header!)).toEqual({ alg: 'EdDSA' });
    expect(decode(claims!)).toEqual({
      caller: person,
      rid: 'req-9',
      dl: deadline,
      iss: TOKEN_ISSUER,
      aud: 'public-welfare',
      iat: 1772359200,
      exp: 1772359260,
    });
  });

  it('signs tokens the verifier accepts, and a token changed anywhere is refused', async () => {
    const keys = await generateGatewayKeys();
    const sign = await createTokenSigner(keys.privateKey);
    const verify = await createTokenVerifier(keys.publicKey, 'identity');
    const deadline = Date.now() + 3_000;
    const token = await sign('identity', person, 'req-3', deadline);
    expect(await verify(token)).toEqual({ caller: person, requestId: 'req-3', deadline });

    const [header, claims, signature] = token.split('.') as [string, string, string];
    const payload = decode(claims) as Record<string, unknown>;
    const tampered = [
      // The caller made a platform admin, the deadline moved, another audience: same signature.
      withPart(token, 1, encode({ ...payload, caller: { ...person, platformAdmin: true } })),
      withPart(token, 1, encode({ ...payload, dl: deadline + 60_000 })),
      withPart(token, 1, encode({ ...payload, exp: (payload.exp as number) + 3600 })),
      // One bit of the signature flipped.
      withPart(token, 2, flipFirstBit(signature)),
      // An unsigned token, another algorithm named in the header.
      `${encode({ alg: 'none' })}.${claims}.`,
      withPart(token, 0, encode({ alg: 'HS256' })),
      // The signature moved to another token's claims.
      `${header}.${encode({ ...payload, rid: 'other' })}.${signature}`,
    ];
    for (const forged of tampered) await expect(verify(forged), forged).rejects.toThrow();
  });

  it('takes only an Ed25519 private key', async () => {
    const keys = await generateGatewayKeys();
    await expect(createTokenSigner(keys.publicKey)).rejects.toThrow(/private/);
    const jwk = JSON.parse(keys.privateKey) as JWK;
    await expect(createTokenSigner(JSON.stringify({ ...jwk, crv: 'Ed448' }))).rejects.toThrow();
    await expect(
      createTokenSigner(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })),
    ).rejects.toThrow();
  });
});

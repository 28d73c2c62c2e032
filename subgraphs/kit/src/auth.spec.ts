import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
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

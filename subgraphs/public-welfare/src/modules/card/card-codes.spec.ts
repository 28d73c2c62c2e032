import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CardQrSigner,
  deriveQrKey,
  formatCardNumber,
  isValidCardNumber,
  luhnCheckDigit,
  newCardNumber,
  newPin,
  newQrNonce,
} from './card-codes.js';

describe('card numbers', () => {
  it('computes the Luhn check digit of known numbers', () => {
    // Test card numbers published by the card networks.
    expect(isValidCardNumber('4111111111111111')).toBe(true);
    expect(isValidCardNumber('5555555555554444')).toBe(true);
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(isValidCardNumber('4111111111111112')).toBe(false);
    expect(isValidCardNumber('411111111111111')).toBe(false);
    expect(isValidCardNumber('41111111111111a1')).toBe(false);
  });

  it('draws 16-digit numbers with a valid check digit that catch any one wrong digit', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const n = newCardNumber();
      expect(n).toMatch(/^[1-9][0-9]{15}$/);
      expect(isValidCardNumber(n)).toBe(true);
      const at = i % 16;
      const wrong = n.slice(0, at) + String((Number(n[at]) + 1 + (i % 9)) % 10) + n.slice(at + 1);
      expect(isValidCardNumber(wrong)).toBe(false);
      seen.add(n);
    }
    expect(seen.size).toBe(500);
    expect(formatCardNumber('4111111111111111')).toBe('4111 1111 1111 1111');
  });

  it('draws 6-digit PINs over the whole range and 128-bit nonces', () => {
    const pins = Array.from({ length: 2000 }, () => newPin());
    for (const pin of pins) expect(pin).toMatch(/^[0-9]{6}$/);
    expect(new Set(pins).size).toBeGreaterThan(1990);
    // Leading digits spread over 0-9 (a PIN starting with 0 is kept, padded).
    expect(new Set(pins.map((p) => p[0])).size).toBe(10);
    const nonce = newQrNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(16);
  });
});

describe('QR payloads', () => {
  const key = deriveQrKey(randomBytes(32));
  const signer = new CardQrSigner(key);
  const id = randomUUID();
  const nonce = newQrNonce();
  const payload = signer.sign(id, nonce);

  it('round-trips a compact signed payload', () => {
    expect(payload).toMatch(/^WC1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(payload.length).toBe(93);
    expect(signer.verify(payload)).toEqual({ cardId: id, nonce });
  });

  it('derives different keys from different PII keys and domains', () => {
    const a = randomBytes(32);
    expect(deriveQrKey(a).equals(deriveQrKey(a))).toBe(true);
    expect(deriveQrKey(a).equals(deriveQrKey(randomBytes(32)))).toBe(false);
    expect(() => deriveQrKey(randomBytes(16))).toThrow();
  });

  it('refuses every changed character, another key, and malformed payloads', () => {
    for (let i = 0; i < payload.length; i++) {
      if (payload[i] === '.') continue;
      const c = payload[i] === 'A' ? 'B' : 'A';
      const tampered = payload.slice(0, i) + c + payload.slice(i + 1);
      expect(signer.verify(tampered), `position ${i}`).toBeUndefined();
    }
    const forger = new CardQrSigner(deriveQrKey(randomBytes(32)));
    expect(signer.verify(forger.sign(id, nonce))).toBeUndefined();
    for (const bad of [
      '',
      'WC1',
      'WC1...',
      payload.replace('WC1', 'WC2'),
      `${payload}x`,
      payload.slice(0, -1),
      `${payload}.`,
      'x'.repeat(10_000),
      payload.replace(/\./g, ':'),
    ]) {
      expect(signer.verify(bad), bad.slice(0, 40)).toBeUndefined();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  PiiCipher,
  isValidPartitaIva,
  isValidPersonalFiscalCode,
  normaliseFiscalCode,
} from './pii.js';

describe('codice fiscale and partita IVA', () => {
  it('accepts a right check character and refuses a wrong one', () => {
    expect(isValidPersonalFiscalCode(normaliseFiscalCode(' rssmra80a01h501u '))).toBe(true);
    expect(isValidPersonalFiscalCode('RSSMRA80A01H501X')).toBe(false);
    expect(isValidPersonalFiscalCode('RSSMRA80A01H501')).toBe(false);
    expect(isValidPartitaIva('80002190827')).toBe(true);
    expect(isValidPartitaIva('80002190828')).toBe(false);
  });
});

describe('PiiCipher', () => {
  it('round-trips, hashes deterministically and separates purposes and domains', () => {
    const key = randomBytes(32);
    const cipher = new PiiCipher(key);
    const encrypted = cipher.encrypt('RSSMRA80A01H501U');
    expect(encrypted).not.toContain('RSSMRA');
    expect(cipher.encrypt('RSSMRA80A01H501U')).not.toBe(encrypted);
    expect(cipher.decrypt(encrypted)).toBe('RSSMRA80A01H501U');
    expect(cipher.lookupHash('cf', 'X')).toBe(new PiiCipher(key).lookupHash('cf', 'X'));
    expect(cipher.lookupHash('cf', 'X')).not.toBe(cipher.lookupHash('other', 'X'));
    const other = new PiiCipher(key, 'welfare-other');
    expect(other.lookupHash('cf', 'X')).not.toBe(cipher.lookupHash('cf', 'X'));
    expect(() => other.decrypt(encrypted)).toThrow();
    expect(() => new PiiCipher(randomBytes(16))).toThrow();
  });
});

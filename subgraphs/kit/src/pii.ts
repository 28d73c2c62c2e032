import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import * as codiceFiscaleModule from 'codice-fiscale-js';

/*
 * Personal data shared by every subgraph that stores it: the codice fiscale and partita IVA
 * checks, and the cipher for personal data at rest (keyed hash for lookups + AES-256-GCM).
 */

interface CodiceFiscaleStatic {
  check(codiceFiscale: string): boolean;
}

// The package is CommonJS exporting `{ CodiceFiscale }` while its typings declare a default
// export only; read the named export at run time and give it the one method used here.
const { CodiceFiscale } = codiceFiscaleModule as unknown as { CodiceFiscale: CodiceFiscaleStatic };

const PERSONAL_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** Upper case, no spaces. */
export function normaliseFiscalCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** True for a well-formed 16-character personal codice fiscale whose check character is right. */
export function isValidPersonalFiscalCode(value: string): boolean {
  if (!PERSONAL_SHAPE.test(value)) return false;
  try {
    return CodiceFiscale.check(value);
  } catch {
    return false;
  }
}

/**
 * True for an 11-digit partita IVA or numeric codice fiscale of an organisation: the last digit
 * is the check digit of the Italian (Luhn-like) algorithm.
 */
export function isValidPartitaIva(value: string): boolean {
  if (!/^[0-9]{11}$/.test(value)) return false;
  if (value === '00000000000') return false;
  return partitaIvaCheckDigit(value.slice(0, 10)) === Number(value[10]);
}

/** The check digit for the first ten digits of a partita IVA. */
export function partitaIvaCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(first10[i]);
    if (i % 2 === 0) {
      sum += digit;
    } else {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Personal data at rest: a keyed HMAC-SHA256 for lookups (unique) and AES-256-GCM ciphertext
 * for reading back. Both keys are derived from the one `PII_KEY` (HKDF-SHA256), so a dump of the
 * database shows neither the codice fiscale nor anything that can be reversed without the key.
 */
export class PiiCipher {
  private readonly hmacKey: Buffer;
  private readonly aesKey: Buffer;

  /**
   * `domain` separates the keys of different subgraphs even under the same `PII_KEY`; the default
   * is the identity subgraph's (its stored data was written with it: never change it).
   */
  constructor(key: Buffer, domain = 'welfare-identity') {
    if (key.length !== 32) throw new Error('PII_KEY must be 32 bytes');
    this.hmacKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `${domain}/hmac`, 32));
    this.aesKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `${domain}/aes-gcm`, 32));
  }

  /** Deterministic keyed hash, hex (for unique lookups). `purpose` separates domains. */
  lookupHash(purpose: string, value: string): string {
    return createHmac('sha256', this.hmacKey).update(`${purpose}:${value}`).digest('hex');
  }

  /** AES-256-GCM: base64 of iv (12) | tag (16) | ciphertext. */
  encrypt(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(payload: string): string {
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.aesKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** A new opaque token: 32 random bytes, base64url. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, hex: what the database keeps instead of the token. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

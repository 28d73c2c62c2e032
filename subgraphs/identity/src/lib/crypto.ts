import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/**
 * Personal data at rest: a keyed HMAC-SHA256 for lookups (unique) and AES-256-GCM ciphertext
 * for reading back. Both keys are derived from the one `PII_KEY` (HKDF-SHA256), so a dump of the
 * database shows neither the codice fiscale nor anything that can be reversed without the key.
 */
export class PiiCipher {
  private readonly hmacKey: Buffer;
  private readonly aesKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('PII_KEY must be 32 bytes');
    this.hmacKey = Buffer.from(
      hkdfSync('sha256', key, Buffer.alloc(0), 'welfare-identity/hmac', 32),
    );
    this.aesKey = Buffer.from(
      hkdfSync('sha256', key, Buffer.alloc(0), 'welfare-identity/aes-gcm', 32),
    );
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

// The codes of a beneficiary card: its number (16 digits with a Luhn check digit), its PIN
// (6 digits) and the payload of its QR code. Pure functions: no database, no GraphQL.
import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** HKDF domain of the key that signs QR payloads (derived from PII_KEY). */
export const CARD_QR_DOMAIN = 'welfare-public-welfare/card-qr';

/** Version tag of the QR payload format. */
const QR_VERSION = 'WC1';
const B64URL = '[A-Za-z0-9_-]';
/** `WC1.<card id: 16 bytes>.<nonce: 16 bytes>.<HMAC-SHA256: 32 bytes>`, each base64url. */
const QR_PAYLOAD = new RegExp(
  `^${QR_VERSION}\\.(${B64URL}{22})\\.(${B64URL}{22})\\.(${B64URL}{43})$`,
);

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True for 16 digits whose last is the Luhn check digit of the first 15. */
export function isValidCardNumber(value: string): boolean {
  return /^[0-9]{16}$/.test(value) && luhnCheckDigit(value.slice(0, 15)) === value[15];
}

/** A new random card number: 15 random digits (the first not 0), then the check digit. */
export function newCardNumber(): string {
  let body = String(randomInt(1, 10));
  for (let i = 1; i < 15; i++) body += String(randomInt(0, 10));
  return body + luhnCheckDigit(body);
}

/** A card number as printed: four groups of four digits. */
export function formatCardNumber(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** A new PIN: 6 digits, uniformly random (000000 to 999999). */
export function newPin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A new QR nonce: 128 random bits, base64url (22 characters). */
export function newQrNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** The key that signs QR payloads: HKDF-SHA256 of PII_KEY under `CARD_QR_DOMAIN`. */
export function deriveQrKey(piiKey: Buffer): Buffer {
  if (piiKey.length !== 32) throw new Error('PII_KEY must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), CARD_QR_DOMAIN, 32));
}

function uuidToBase64url(id: string): string {
  return Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');
}

function base64urlToUuid(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64url');
  // Only the canonical encoding: 22 characters that decode to 16 bytes and encode back the same.
  if (bytes.length !== 16 || bytes.toString('base64url') !== value) return undefined;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Signs and reads QR payloads under one key. */
export class CardQrSigner {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the QR key must be 32 bytes');
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body, 'utf8').digest();
  }

  /** `WC1.<card id>.<nonce>.<signature>`: what the card's QR code carries (93 characters). */
  sign(cardId: string, nonce: string): string {
    const body = `${QR_VERSION}.${uuidToBase64url(cardId)}.${nonce}`;
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /**
   * The card id and nonce of a well-formed payload whose signature is right; undefined for
   * anything else (malformed, another version, tampered, forged). The signature is compared in
   * constant time.
   */
  verify(payload: string): { cardId: string; nonce: string } | undefined {
    const match = QR_PAYLOAD.exec(payload.trim());
    if (!match) return undefined;
    const [, id = '', nonce = '', signature = ''] = match;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(`${QR_VERSION}.${id}.${nonce}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (given.toString('base64url') !== signature) return undefined;
    const cardId = base64urlToUuid(id);
    return cardId ? { cardId, nonce } : undefined;
  }
}

/** Constant-time equality of two short strings (nonces). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

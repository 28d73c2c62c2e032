// Card PINs as payment systems keep them: a keyed HMAC-SHA-256 under a key held outside the
// database (PIN_KEY), not a slow hash. A 6-digit PIN has a million values: no slow hash survives
// an offline search of a stolen table, while without the key the HMACs are worthless; and a
// check costs microseconds instead of ~75 ms of CPU per payment. Pure functions of node:crypto
// (no database, no ORM), so the tests' seeding can import them.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Tag of a stored PIN value: `hmac-sha256$<key id>$<HMAC, base64>`. */
export const PIN_HMAC_TAG = 'hmac-sha256';

/** The prefix of the legacy values (Argon2id, upgraded at their next right entry). */
export const PIN_ARGON2_PREFIX = '$argon2id$';

/** The domain the HMAC input starts with (a key is never used for anything else). */
const PIN_HMAC_DOMAIN = 'welfare-public-welfare/card-pin';

/**
 * A development-only PIN key, used when `PIN_KEY` is missing outside production (the embedded
 * run, the tests' seeded cards). It is public: never use it for real cards.
 */
export const DEVELOPMENT_PIN_KEY = Buffer.alloc(32, 11).toString('base64');

const STORED_HMAC = /^hmac-sha256\$([A-Za-z0-9_-]{1,32})\$([A-Za-z0-9+/]{43}=)$/;

/**
 * A key's id: the first 8 characters (48 bits) of base64url(SHA-256(domain, key)). Derived from
 * the key, so an id can never name the wrong key, and it reveals nothing about the key.
 */
export function pinKeyId(key: Buffer): string {
  return createHash('sha256')
    .update(`${PIN_HMAC_DOMAIN}/key-id\0`)
    .update(key)
    .digest('base64url')
    .slice(0, 8);
}

/**
 * The PIN keys of a process: the current one (every value is written with it) and older ones,
 * by id (values under them still verify, and are rewritten with the current key at their next
 * right entry).
 */
export class PinKeyring {
  readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, older: readonly Buffer[] = []) {
    for (const key of [current, ...older]) {
      if (key.length !== 32) throw new Error('a PIN key must be 32 bytes');
      this.keys.set(pinKeyId(key), key);
    }
    this.currentId = pinKeyId(current);
  }

  /** The value stored for `pin` on card `cardId`, under the current key. */
  value(cardId: string, pin: string): string {
    return `${PIN_HMAC_TAG}$${this.currentId}$${this.mac(this.keys.get(this.currentId)!, cardId, pin).toString('base64')}`;
  }

  /**
   * Whether `pin` is the PIN of a stored HMAC value, in constant time. `keyId` is the value's key
   * id (`current` tells whether it is the current key); `unknownKey` when the value's key is not
   * in this keyring (then it is never right); undefined when the value is not an HMAC value.
   */
  check(
    stored: string,
    cardId: string,
    pin: string,
  ): { right: boolean; current: boolean; unknownKey: boolean } | undefined {
    const match = STORED_HMAC.exec(stored);
    if (!match) return undefined;
    const [, keyId = '', mac = ''] = match;
    const key = this.keys.get(keyId);
    // An unknown key id still costs one HMAC, under the current key, so timing says nothing.
    const expected = this.mac(key ?? this.keys.get(this.currentId)!, cardId, pin);
    const given = Buffer.from(mac, 'base64');
    const equal = given.length === expected.length && timingSafeEqual(given, expected);
    return {
      right: equal && key !== undefined,
      current: keyId === this.currentId,
      unknownKey: !key,
    };
  }

  /** HMAC-SHA-256(key, domain ‖ 0 ‖ card id ‖ 0 ‖ PIN): equal PINs on two cards differ. */
  private mac(key: Buffer, cardId: string, pin: string): Buffer {
    return createHmac('sha256', key)
      .update(`${PIN_HMAC_DOMAIN}\0${cardId.toLowerCase()}\0${pin}`, 'utf8')
      .digest();
  }
}

/** The stored value of `pin` on card `cardId` under the development key (seeding, tests). */
export function developmentPinValue(cardId: string, pin: string): string {
  return new PinKeyring(Buffer.from(DEVELOPMENT_PIN_KEY, 'base64')).value(cardId, pin);
}

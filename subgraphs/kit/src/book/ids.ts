import { createHash } from 'node:crypto';

/**
 * A deterministic uuid (v8 layout) from the parts: the same parts always give the same id. Book
 * transfers and the keys given to other services (a refund's part per leg, Stripe's idempotency
 * keys) are derived with it, so a retry names the same thing.
 */
export function deterministicId(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

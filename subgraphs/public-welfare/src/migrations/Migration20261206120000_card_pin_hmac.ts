import { Migration } from '@mikro-orm/migrations';

/**
 * Card PINs as keyed HMACs (hand-written, issue 12). `card.pin_hash` now holds
 * `hmac-sha256$<key id>$<HMAC-SHA-256, base64>` (see `modules/card/card-pin.ts`: the key is
 * PIN_KEY, outside the database; the key id is derived from the key), or, until the card's next
 * right PIN, the legacy Argon2id hash (`$argon2id$…`), which the service then rewrites. No data
 * changes here: the check constraint accepts both forms. down() restores the Argon2id-only check
 * and is refused by PostgreSQL while a card holds an HMAC value (it cannot be turned back into
 * an Argon2id hash without the PIN), rather than losing PINs.
 */
export class Migration20261206120000_card_pin_hmac extends Migration {
  override up(): void {
    this.addSql(`alter table "public_welfare"."card" drop constraint "card_pin_hash_check";`);
    this.addSql(`alter table "public_welfare"."card" add constraint "card_pin_hash_check" check (
  "pin_hash" like '$argon2id$%'
  or "pin_hash" ~ '^hmac-sha256\\$[A-Za-z0-9_-]{1,32}\\$[A-Za-z0-9+/]{43}=$'
);`);
  }

  override down(): void {
    this.addSql(`alter table "public_welfare"."card" drop constraint "card_pin_hash_check";`);
    this.addSql(
      `alter table "public_welfare"."card" add constraint "card_pin_hash_check" check ("pin_hash" like '$argon2id$%');`,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { verify } from '@node-rs/argon2';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { isValidPersonalFiscalCode, normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import { Application } from '../application/application.entity.js';
import type { ApplicationService } from '../application/application.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { releaseCardHolds } from '../fund/fund-holds.js';
import { moveCardCredit } from '../ledger/ledger.js';
import { withRetry } from '@welfare/kit/sql';
import { actorOf, isComuneStaff, isUuid, requireComuneStaff } from '@welfare/kit/access';
import { newCardNumber, newPin, newQrNonce, sameSecret, type CardQrSigner } from './card-codes.js';
import { PIN_ARGON2_PREFIX, type PinKeyring } from './card-pin.js';
import {
  approvedHolder,
  clearPinFailures,
  countPinFailure,
  holdersWithLiveCard,
  holdersWithoutCard,
  lockCampaignForIssuance,
  lockIssuance,
  lockOutPin,
  lockPinRow,
  numbersInUse,
  type PinRow,
} from './card.repository.js';
import { Card } from './card.entity.js';
import {
  CARD_BLOCK_REASONS,
  CARD_STATUSES,
  type CardBlockReason,
  type CardStatus,
} from './card.enums.js';

/** Wrong PINs (since the last right one) that lock a card. */
export const MAX_PIN_FAILURES = 5;

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

/** A card just issued (or re-issued): the only moment its PIN exists in clear. */
export interface IssuedCard {
  card: Card;
  /** The one-time PIN (6 digits): print it, never store it. */
  pin: string;
  /** The holder's codice fiscale in clear (for the letter). */
  fiscalCode: string;
  /** What the QR code carries. */
  qrPayload: string;
}

/**
 * Called with the new cards inside the issuing transaction (e.g. to render the letters): if it
 * throws, nothing is issued, so a card never exists without its letter having been produced.
 */
export type IssueDelivery<R> = (issued: IssuedCard[]) => Promise<R>;

/** The same for a campaign's issuance, with the campaign. */
export type CampaignDelivery<R> = (issued: IssuedCard[], campaign: Campaign) => Promise<R>;

/** The outcome of a PIN check. The reasons say nothing about which part of a login was wrong. */
export type PinCheck =
  | { ok: true }
  | {
      ok: false;
      /**
       * WRONG_PIN: counted; LOCKED: this attempt was the fifth wrong PIN and locked the card (now
       * BLOCKED, PIN_LOCKED); BLOCKED / REPLACED: the card is not usable, already blocked (also by
       * a concurrent attempt that used the last try) or replaced (no PIN checked).
       */
      reason: 'WRONG_PIN' | 'LOCKED' | 'BLOCKED' | 'REPLACED';
      attemptsLeft: number;
    };

export interface CardPageResult {
  nodes: Card[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Beneficiary cards: issuance for approved applications, one-time PINs (kept as keyed
 * HMAC-SHA-256 values, see `card-pin.ts`), PIN checks with a lock at 5 failures, block / unblock / replace, signed QR payloads and the
 * identification of a card by QR code or codice fiscale. Staff of the card's Comune (OPERATOR or
 * MANAGER, or platform admins) manage cards; a citizen sees their own. Credit is in the book, on
 * accounts keyed by the card's id (`ledger/ledger.ts`); a replacement moves it to the new card.
 */
export class CardService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly applications: ApplicationService,
    private readonly qr: CardQrSigner,
    private readonly pins: PinKeyring,
  ) {}

  /** The value stored for `pin` on card `cardId`: HMAC-SHA-256 under the current PIN key. */
  pinValue(cardId: string, pin: string): string {
    return this.pins.value(cardId, pin);
  }

  /** What the card's QR code carries: `WC1.<id>.<nonce>.<signature>`. */
  qrPayload(card: Card): string {
    return this.qr.sign(card.id, card.qrNonce);
  }

  /** The holder's codice fiscale in clear (the row was already authorised). */
  holderFiscalCode(card: Card): string {
    return this.pii.decrypt(card.holderFiscalCodeCipher);
  }

  /** A holder's codice fiscale in clear from its ciphertext (the row was already authorised). */
  fiscalCodeOfCipher(cipher: string): string {
    return this.pii.decrypt(cipher);
  }

  /** True when the caller (a citizen logged in with SPID/CIE) holds the card. */
  isHolder(caller: Caller, card: Card): boolean {
    return (
      caller.kind === 'person' &&
      caller.fiscalCode !== undefined &&
      this.applications.fiscalCodeHash(caller.fiscalCode) === card.holderFiscalCodeHash
    );
  }

  // -------------------------------------------------------------------------------------------
  // Issuance

  /**
   * Issues a card for every APPROVED application of the campaign whose applicant has no live
   * card in the Comune (staff of the Comune). Idempotent: a second run issues nothing. Returns
   * the new cards with their one-time PINs, and what `deliver` made of them in the transaction.
   */
  async issueForCampaign<R = undefined>(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    deliver?: CampaignDelivery<R>,
  ): Promise<{ issued: IssuedCard[]; output: R | undefined; campaign: Campaign }> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw malformedId('campaignId');
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw campaignNotFound();
    const { issued, output } = await this.issue(
      em,
      caller,
      campaign.comuneId,
      campaign.id,
      async (tx) =>
        (await holdersWithoutCard(tx, campaign.id)).map((c) => ({
          applicationId: c.id,
          hash: c.hash,
          cipher: c.cipher,
        })),
      `campaign:${campaign.id}`,
      deliver ? (issued) => deliver(issued, campaign) : undefined,
    );
    return { issued, output, campaign };
  }

  /**
   * Issues the card of one APPROVED application (staff of its Comune). CONFLICT when the
   * applicant already has a live card in the Comune, or the application is not APPROVED.
   */
  async issueForApplication<R = undefined>(
    em: EntityManager,
    caller: Caller,
    applicationId: string,
    deliver?: IssueDelivery<R>,
  ): Promise<{ issued: IssuedCard; output: R | undefined }> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(applicationId)) throw malformedId('applicationId');
    const application = await em.findOne(Application, { id: applicationId });
    if (!application || !isComuneStaff(caller, application.comuneId)) {
      throw DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });
    }
    if (application.status !== 'APPROVED') throw notApproved();
    const { issued, output } = await this.issue(
      em,
      caller,
      application.comuneId,
      application.campaignId,
      async (tx) => {
        // Read again under the campaign's lock: withdrawn or decided otherwise meanwhile.
        const holder = await approvedHolder(tx, application.id);
        if (!holder) throw notApproved();
        return [{ applicationId: holder.id, hash: holder.hash, cipher: holder.cipher }];
      },
      `application:${application.id}`,
      deliver,
    );
    if (!issued[0]) throw alreadyHasCard();
    return { issued: issued[0], output };
  }

  /**
   * The common part: under the campaign's row lock and the Comune's issuance lock, the holders
   * `pick` reads (APPROVED applications), and a card (with a new PIN, kept as its HMAC) for each
   * one still without a live card.
   */
  private async issue<R>(
    em: EntityManager,
    person: PersonCaller,
    comuneId: string,
    campaignId: string,
    pick: (tx: EntityManager) => Promise<{ applicationId: string; hash: string; cipher: string }[]>,
    subject: string,
    deliver: IssueDelivery<R> | undefined,
  ): Promise<{ issued: IssuedCard[]; output: R | undefined }> {
    return em.transactional(async (tx) => {
      // The campaign's row first, as a list's correction, decisions and top-ups take it (no
      // deadlock): the candidates are read under it, so an entry withdrawn before is not picked,
      // and a withdrawal after waits for the card and is refused (it finds the card).
      await lockCampaignForIssuance(tx, campaignId);
      // One issuance per Comune at a time: the live-card check and the inserts cannot interleave
      // (the partial unique index is the last guard).
      await lockIssuance(tx, comuneId);
      const holders = await pick(tx);
      if (holders.length === 0) return { issued: [], output: undefined };
      const taken = await holdersWithLiveCard(
        tx,
        comuneId,
        holders.map((h) => h.hash),
      );
      const numbers = await freshNumbers(tx, holders.length);
      const issued: IssuedCard[] = [];
      holders.forEach((holder, i) => {
        if (taken.has(holder.hash)) return;
        // The card's id is part of its PIN's HMAC input.
        const id = randomUUID();
        const pin = newPin();
        const card = tx.create(Card, {
          id,
          comuneId,
          number: numbers[i]!,
          holderFiscalCodeHash: holder.hash,
          holderFiscalCodeCipher: holder.cipher,
          pinHash: this.pins.value(id, pin),
          qrNonce: newQrNonce(),
          applicationId: holder.applicationId,
          issuedBy: person.personId,
        });
        issued.push({
          card,
          pin,
          fiscalCode: this.pii.decrypt(holder.cipher),
          qrPayload: this.qrPayload(card),
        });
      });
      if (issued.length === 0) return { issued, output: undefined };
      await tx.flush();
      await this.audit.record(tx, actorOf(person), comuneId, 'ISSUE_CARDS', subject);
      const output = deliver ? await deliver(issued) : undefined;
      return { issued, output };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Block, unblock, replace

  /** A card of a Comune the caller staffs, locked for update (NOT_FOUND otherwise). */
  private async lockForStaff(
    em: EntityManager,
    caller: Caller,
    id: string,
  ): Promise<{ card: Card; person: PersonCaller }> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) throw malformedId('id');
    const card = await em.findOne(
      Card,
      { id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!card || !isComuneStaff(caller, card.comuneId)) throw cardNotFound();
    return { card, person: caller };
  }

  /**
   * Blocks a card (staff of its Comune) with a reason; a blocked card gets the new reason.
   * PIN_LOCKED is the system's: BAD_USER_INPUT. CONFLICT for a REPLACED card.
   */
  async block(em: EntityManager, caller: Caller, id: string, reason: string): Promise<Card> {
    if (!(CARD_BLOCK_REASONS as readonly string[]).includes(reason) || reason === 'PIN_LOCKED') {
      new FieldErrors()
        .add(
          'reason',
          'Motivo non valido (PIN_LOCKED lo imposta solo il sistema).',
          'Invalid reason (only the system sets PIN_LOCKED).',
        )
        .throwIfAny();
    }
    return em.transactional(async (tx) => {
      const { card } = await this.lockForStaff(tx, caller, id);
      if (card.status === 'REPLACED') throw replacedConflict();
      if (card.status === 'ACTIVE') {
        card.status = 'BLOCKED';
        card.blockedAt = new Date();
      }
      card.blockReason = reason as CardBlockReason;
      await tx.flush();
      await this.audit.record(tx, actorOf(caller), card.comuneId, 'BLOCK_CARD', `card:${card.id}`);
      return card;
    });
  }

  /**
   * Unblocks a card (staff of its Comune), whatever the reason, and clears its PIN failures;
   * an ACTIVE card only has its failures cleared. CONFLICT for a REPLACED card.
   */
  async unblock(em: EntityManager, caller: Caller, id: string): Promise<Card> {
    return em.transactional(async (tx) => {
      const { card } = await this.lockForStaff(tx, caller, id);
      if (card.status === 'REPLACED') throw replacedConflict();
      card.status = 'ACTIVE';
      card.blockReason = null;
      card.blockedAt = null;
      card.pinFailures = 0;
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        card.comuneId,
        'UNBLOCK_CARD',
        `card:${card.id}`,
      );
      return card;
    });
  }

  /**
   * Replaces a card (staff of its Comune): the old one becomes REPLACED (its number and QR code
   * die), a new ACTIVE card gets a new number, PIN and QR nonce. Returns the new card with its
   * one-time PIN. CONFLICT when the card was already replaced.
   */
  async replace<R = undefined>(
    em: EntityManager,
    caller: Caller,
    id: string,
    deliver?: IssueDelivery<R>,
  ): Promise<{ issued: IssuedCard; output: R | undefined; old: Card }> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) throw malformedId('id');
    const existing = await em.findOne(Card, { id });
    if (!existing || !isComuneStaff(caller, existing.comuneId)) throw cardNotFound();
    if (existing.status === 'REPLACED') throw replacedConflict();
    const pin = newPin();
    return em.transactional(async (tx) => {
      const { card: old, person } = await this.lockForStaff(tx, caller, id);
      if (old.status === 'REPLACED') throw replacedConflict();
      const [number] = await freshNumbers(tx, 1);
      const fresh = new Card();
      // The old card leaves the live set first (the partial unique index allows one live card).
      old.status = 'REPLACED';
      old.replacedBy = fresh.id;
      await tx.flush();
      Object.assign(fresh, {
        comuneId: old.comuneId,
        number: number!,
        holderFiscalCodeHash: old.holderFiscalCodeHash,
        holderFiscalCodeCipher: old.holderFiscalCodeCipher,
        pinHash: this.pins.value(fresh.id, pin),
        qrNonce: newQrNonce(),
        applicationId: old.applicationId,
        issuedBy: person.personId,
      });
      tx.persist(fresh);
      await tx.flush();
      // The credit follows the holder to the new card, with the credit of checkouts under way
      // (their holds released first: a checkout cannot capture from a dead card).
      await releaseCardHolds(tx, old.id);
      await moveCardCredit(tx, old.id, fresh.id);
      await this.audit.record(tx, actorOf(person), old.comuneId, 'REPLACE_CARD', `card:${old.id}`);
      const issued: IssuedCard = {
        card: fresh,
        pin,
        fiscalCode: this.holderFiscalCode(fresh),
        qrPayload: this.qrPayload(fresh),
      };
      const output = deliver ? await deliver([issued]) : undefined;
      return { issued, output, old };
    });
  }

  // -------------------------------------------------------------------------------------------
  // PIN

  /**
   * Checks a PIN, counting attempts in the database: one short transaction locks the card's row
   * (`for no key update`, which does not hold up payments inserting rows that reference the card),
   * compares the PIN and, in the same transaction, clears the failures or counts one. The attempt
   * that reaches 5 locks the card (BLOCKED, PIN_LOCKED) and alone answers LOCKED; later ones,
   * BLOCKED. PostgreSQL serialises the attempts on one card across every process: never more than
   * 5 wrong PINs between two right ones, and right PINs arriving together never count as
   * failures. Anything that is not 6 digits is a wrong PIN, checked the same way.
   *
   * An HMAC value takes microseconds. A legacy Argon2id value is verified under the same lock
   * (~75 ms; a right entry rewrites it as HMAC under the current PIN key, so it happens once per
   * card), and a value under an older PIN key is rewritten with the current key at its next right
   * entry. A value under a key this process does not have is an error (no attempt is counted): its
   * key must be in PIN_KEYS_OLD. Runs its own transaction: call it outside one that could roll the
   * count back.
   */
  async verifyPin(em: EntityManager, cardId: string, pin: string): Promise<PinCheck> {
    if (!isUuid(cardId)) throw cardNotFound();
    const check = await withRetry(() =>
      em.fork().transactional(async (tx): Promise<PinCheck | undefined> => {
        // Never idle with the card locked if this process dies (see the kit's SESSION_SETTINGS_SQL).
        await limitIdleInTransaction(tx, 10_000);
        return this.checkPinLocked(tx, cardId, pin);
      }),
    );
    if (!check) throw cardNotFound();
    return check;
  }

  /**
   * The PIN check of `verifyPin` inside the caller's transaction (a payment checks the PIN in its
   * own transaction: one round of BEGIN/COMMIT less): locks the card's row, compares, and counts or
   * clears the failures. The caller must commit even when the PIN is wrong, so that the failure
   * counts. Undefined when there is no such card.
   */
  async checkPinLocked(
    tx: EntityManager,
    cardId: string,
    pin: string,
  ): Promise<PinCheck | undefined> {
    const row = await lockPinRow(tx, cardId);
    return row ? this.checkPinOfLockedRow(tx, cardId, row, pin) : undefined;
  }

  /**
   * The PIN check of `checkPinLocked` on a card row the caller's transaction has already read
   * under its row lock (`for no key update`): the card payment reads it with the shop, the
   * campaign and the key's payment in one statement. The caller must commit even when the PIN is
   * wrong.
   */
  async checkPinOfLockedRow(
    tx: EntityManager,
    cardId: string,
    row: PinRow,
    pin: string,
  ): Promise<PinCheck> {
    const candidate = pin.length <= 32 ? pin : '';
    const wellFormed = /^[0-9]{6}$/.test(pin);
    if (row.status === 'REPLACED') return { ok: false, reason: 'REPLACED', attemptsLeft: 0 };
    // BLOCKED, or (only by a direct edit) ACTIVE with the tries used up.
    if (row.status !== 'ACTIVE' || row.pin_failures >= MAX_PIN_FAILURES) {
      return { ok: false, reason: 'BLOCKED', attemptsLeft: 0 };
    }
    const { right, rewrite } = await this.comparePin(row.pin_hash, cardId, candidate);
    if (right && wellFormed) {
      if (rewrite || row.pin_failures > 0) {
        await clearPinFailures(tx, cardId, rewrite ? this.pins.value(cardId, pin) : null);
      }
      return { ok: true };
    }
    const failures = row.pin_failures + 1;
    if (failures >= MAX_PIN_FAILURES) {
      const comuneId = await lockOutPin(tx, cardId, failures);
      // The lock is the system's doing, whoever typed the PIN (committed with the count).
      await this.audit.record(tx, 'system', comuneId, 'PIN_LOCK', `card:${cardId}`);
      return { ok: false, reason: 'LOCKED', attemptsLeft: 0 };
    }
    await countPinFailure(tx, cardId, failures);
    return { ok: false, reason: 'WRONG_PIN', attemptsLeft: MAX_PIN_FAILURES - failures };
  }

  /**
   * Whether `pin` matches a stored value, and whether a right value must be rewritten (legacy
   * Argon2id, or an older PIN key). Throws for a value under a key this process does not hold.
   */
  private async comparePin(
    stored: string,
    cardId: string,
    pin: string,
  ): Promise<{ right: boolean; rewrite: boolean }> {
    const hmac = this.pins.check(stored, cardId, pin);
    if (hmac?.unknownKey) {
      throw new Error(
        `card ${cardId}: PIN value under an unknown key id (missing in PIN_KEYS_OLD?)`,
      );
    }
    if (hmac) return { right: hmac.right, rewrite: !hmac.current };
    if (stored.startsWith(PIN_ARGON2_PREFIX)) {
      return { right: await verify(stored, pin).catch(() => false), rewrite: true };
    }
    throw new Error(`card ${cardId}: unknown PIN value format`);
  }

  // -------------------------------------------------------------------------------------------
  // Identification

  /**
   * The card a QR payload names, for staff of its Comune (READ_CARD in the audit log).
   * BAD_USER_INPUT (field `qr`) for a malformed, tampered or forged payload, or one whose card
   * was replaced or re-keyed; NOT_FOUND for a card of another Comune.
   */
  async identifyByQr(em: EntityManager, caller: Caller, payload: string): Promise<Card> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const read = this.readQr(payload);
    const card = read ? await em.findOne(Card, { id: read.cardId }) : null;
    if (!read || !card || !this.qrNonceMatches(card.qrNonce, read)) throw invalidQr();
    if (!isComuneStaff(caller, card.comuneId)) throw cardNotFound();
    if (card.status === 'REPLACED') {
      throw new DomainError(
        'BAD_USER_INPUT',
        {
          it: 'Questa carta è stata sostituita: usare la nuova carta.',
          en: 'This card was replaced: use the new card.',
        },
        {
          fields: [
            {
              field: 'qr',
              message: { it: 'Carta sostituita.', en: 'Replaced card.' },
            },
          ],
        },
      );
    }
    await this.audit.record(em, actorOf(caller), card.comuneId, 'READ_CARD', `card:${card.id}`);
    return card;
  }

  /**
   * The live card of a codice fiscale in a Comune, for staff of that Comune (READ_CARD).
   * BAD_USER_INPUT for a malformed codice fiscale; NOT_FOUND when there is no live card.
   */
  async identifyByFiscalCode(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    fiscalCode: string,
  ): Promise<Card> {
    requireComuneStaff(caller, comuneId);
    const cf = normaliseFiscalCode(fiscalCode.slice(0, 32));
    if (!isValidPersonalFiscalCode(cf)) {
      new FieldErrors()
        .add('fiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.')
        .throwIfAny();
    }
    const card = await em.findOne(Card, {
      comuneId,
      holderFiscalCodeHash: this.applications.fiscalCodeHash(cf),
      status: { $ne: 'REPLACED' },
    });
    if (!card) throw cardNotFound();
    await this.audit.record(em, actorOf(caller), comuneId, 'READ_CARD', `card:${card.id}`);
    return card;
  }

  /**
   * What a QR payload names (the shop's POS): the card's id and the nonce to compare with the
   * card's (`qrNonceMatches`). Undefined for a malformed, tampered or forged payload.
   */
  readQr(payload: string): { cardId: string; nonce: string } | undefined {
    return payload.length <= 200 ? this.qr.verify(payload) : undefined;
  }

  /** Whether a QR payload's nonce is the card's current one (a re-keyed card's old QR is not). */
  qrNonceMatches(cardNonce: string, read: { nonce: string }): boolean {
    return sameSecret(cardNonce, read.nonce);
  }

  /**
   * The key of a codice fiscale among cards (`holder_fiscal_code_hash`), for the shop's POS.
   * BAD_USER_INPUT (field `card.fiscalCode`) for a malformed codice fiscale.
   */
  fiscalCodeKey(fiscalCode: string): string {
    const cf = normaliseFiscalCode(fiscalCode.slice(0, 32));
    if (!isValidPersonalFiscalCode(cf)) {
      new FieldErrors()
        .add('card.fiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.')
        .throwIfAny();
    }
    return this.applications.fiscalCodeHash(cf);
  }

  /**
   * The live card of a codice fiscale in a Comune, with no access check.
   * BAD_USER_INPUT for a malformed codice fiscale; null when there is no live card.
   */
  async findByFiscalCode(
    em: EntityManager,
    comuneId: string,
    fiscalCode: string,
  ): Promise<Card | null> {
    return em.findOne(Card, {
      comuneId,
      holderFiscalCodeHash: this.fiscalCodeKey(fiscalCode),
      status: { $ne: 'REPLACED' },
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  /** The Comune's cards, newest first (staff; SEARCH_CARDS in the audit log). */
  async list(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    first = DEFAULT_PAGE,
    after?: string | null,
    status?: string | null,
  ): Promise<CardPageResult> {
    requireComuneStaff(caller, comuneId);
    const errors = new FieldErrors();
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      errors.add('first', `Da 1 a ${MAX_PAGE}.`, `From 1 to ${MAX_PAGE}.`);
    const offset = after ? decodeOffset(after) : 0;
    if (offset === undefined) errors.add('after', 'Cursore non valido.', 'Malformed cursor.');
    if (status && !(CARD_STATUSES as readonly string[]).includes(status))
      errors.add('status', 'Stato sconosciuto.', 'Unknown status.');
    errors.throwIfAny();
    const where = status ? { comuneId, status: status as CardStatus } : { comuneId };
    const [nodes, totalCount] = await em.findAndCount(Card, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: first + 1,
      offset: offset ?? 0,
    });
    await this.audit.record(em, actorOf(caller), comuneId, 'SEARCH_CARDS', `comune:${comuneId}`);
    const more = nodes.length > first;
    return {
      nodes: nodes.slice(0, first),
      totalCount,
      hasNextPage: more,
      endCursor: more ? Buffer.from(String((offset ?? 0) + first)).toString('base64url') : null,
    };
  }

  /**
   * One card for its holder or the Comune's staff (null otherwise, as when missing). A read by
   * staff writes READ_CARD to the audit log.
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<Card | null> {
    if (caller.kind !== 'person' || !isUuid(id)) return null;
    const card = await em.findOne(Card, { id });
    if (!card) return null;
    if (this.isHolder(caller, card)) return card;
    if (!isComuneStaff(caller, card.comuneId)) return null;
    await this.audit.record(em, actorOf(caller), card.comuneId, 'READ_CARD', `card:${card.id}`);
    return card;
  }

  /** The caller's live cards (by the codice fiscale of their login), in every Comune. */
  async mine(em: EntityManager, caller: Caller): Promise<Card[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!caller.fiscalCode) return [];
    return em.find(
      Card,
      {
        holderFiscalCodeHash: this.applications.fiscalCodeHash(caller.fiscalCode),
        status: { $ne: 'REPLACED' },
      },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
  }

  /** The campaign a card was first issued for (the letter's issuer), if any. */
  async campaignOf(em: EntityManager, card: Card): Promise<Campaign | null> {
    if (!card.applicationId) return null;
    const application = await em.findOne(Application, { id: card.applicationId });
    return application ? em.findOne(Campaign, { id: application.campaignId }) : null;
  }
}

/** `count` new card numbers, distinct and not in use (a clash of random numbers is redrawn). */
async function freshNumbers(em: EntityManager, count: number): Promise<string[]> {
  const numbers = new Set<string>();
  while (numbers.size < count) {
    const draw = Array.from({ length: count - numbers.size }, () => newCardNumber());
    const taken = await numbersInUse(em, draw);
    for (const n of draw) if (!taken.has(n)) numbers.add(n);
  }
  return [...numbers];
}

function decodeOffset(cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  return /^[0-9]{1,9}$/.test(text) ? Number(text) : undefined;
}

function malformedId(field: string): DomainError {
  return DomainError.badInput([
    { field, message: { it: 'Identificativo non valido.', en: 'Malformed id.' } },
  ]);
}

function cardNotFound(): DomainError {
  return DomainError.notFound({ it: 'Carta non trovata.', en: 'Card not found.' });
}

function campaignNotFound(): DomainError {
  return DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });
}

function invalidQr(): DomainError {
  return new DomainError(
    'BAD_USER_INPUT',
    {
      it: 'Codice QR non valido o non più in uso.',
      en: 'Invalid QR code, or no longer in use.',
    },
    {
      fields: [{ field: 'qr', message: { it: 'Codice QR non valido.', en: 'Invalid QR code.' } }],
    },
  );
}

function replacedConflict(): DomainError {
  return DomainError.conflict({
    it: 'La carta è stata sostituita: operare sulla nuova carta.',
    en: 'The card was replaced: act on the new card.',
  });
}

function notApproved(): DomainError {
  return DomainError.conflict({
    it: 'La carta si rilascia solo per una domanda approvata.',
    en: 'Cards are issued for approved applications only.',
  });
}

function alreadyHasCard(): DomainError {
  return DomainError.conflict({
    it: 'Il titolare ha già una carta attiva in questo Comune.',
    en: 'The holder already has a live card in this Comune.',
  });
}

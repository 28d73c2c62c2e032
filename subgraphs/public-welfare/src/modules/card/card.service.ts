import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import {
  DomainError,
  FieldErrors,
  isValidPersonalFiscalCode,
  normaliseFiscalCode,
  type Caller,
  type PersonCaller,
  type PiiCipher,
} from '@welfare/kit';
import { Application } from '../application/application.entity.js';
import type { ApplicationService } from '../application/application.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { moveCardCredit } from '../money/ledger.js';
import { actorOf, isComuneStaff, isUuid, requireComuneStaff } from '../shared/access.js';
import { newCardNumber, newPin, newQrNonce, sameSecret, type CardQrSigner } from './card-codes.js';
import { Card } from './card.entity.js';
import {
  CARD_BLOCK_REASONS,
  CARD_STATUSES,
  type CardBlockReason,
  type CardStatus,
} from './card.enums.js';

/** Argon2id with the OWASP minimum (m=19456 KiB, t=2, p=1), as for passwords. */
const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Wrong PINs (since the last right one) that lock a card. */
export const MAX_PIN_FAILURES = 5;

/** PINs hashed at once while issuing (argon2 runs on libuv's thread pool). */
const HASH_CONCURRENCY = 4;

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

let dummyHash: Promise<string> | undefined;

/** Verifies against a throwaway hash, so a path without a card takes as long as one with. */
async function dummyVerify(pin: string): Promise<void> {
  dummyHash ??= hash('000000-dummy-card-pin', ARGON2_OPTIONS);
  await verify(await dummyHash, pin.slice(0, 32)).catch(() => false);
}

/**
 * Beneficiary cards: issuance for approved applications, one-time PINs (hashed with Argon2id),
 * PIN checks with a lock at 5 failures, block / unblock / replace, signed QR payloads and the
 * identification of a card by QR code or codice fiscale. Staff of the card's Comune (OPERATOR or
 * MANAGER, or platform admins) manage cards; a citizen sees their own. Credit is in the book, on
 * accounts keyed by the card's id (`money/ledger.ts`); a replacement moves it to the new card.
 */
export class CardService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    private readonly applications: ApplicationService,
    private readonly qr: CardQrSigner,
  ) {}

  /** What the card's QR code carries: `WC1.<id>.<nonce>.<signature>`. */
  qrPayload(card: Card): string {
    return this.qr.sign(card.id, card.qrNonce);
  }

  /** The holder's codice fiscale in clear (the row was already authorised). */
  holderFiscalCode(card: Card): string {
    return this.pii.decrypt(card.holderFiscalCodeCipher);
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
    const candidates = await em.execute<{ id: string; hash: string; cipher: string }[]>(
      `select distinct on (a."applicant_fiscal_code_hash") a."id",
         a."applicant_fiscal_code_hash" as "hash", a."applicant_fiscal_code_cipher" as "cipher"
       from "public_welfare"."application" a
       where a."campaign_id" = ? and a."status" = 'APPROVED'
         and not exists (select 1 from "public_welfare"."card" c
           where c."comune_id" = a."comune_id"
             and c."holder_fiscal_code_hash" = a."applicant_fiscal_code_hash"
             and c."status" <> 'REPLACED')
       order by a."applicant_fiscal_code_hash", a."submitted_at", a."id"`,
      [campaign.id],
    );
    const { issued, output } = await this.issue(
      em,
      caller,
      campaign.comuneId,
      candidates.map((c) => ({ applicationId: c.id, hash: c.hash, cipher: c.cipher })),
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
    if (application.status !== 'APPROVED') {
      throw DomainError.conflict({
        it: 'La carta si rilascia solo per una domanda approvata.',
        en: 'Cards are issued for approved applications only.',
      });
    }
    const { issued, output } = await this.issue(
      em,
      caller,
      application.comuneId,
      [
        {
          applicationId: application.id,
          hash: application.applicantFiscalCodeHash,
          cipher: application.applicantFiscalCodeCipher,
        },
      ],
      `application:${application.id}`,
      deliver,
    );
    if (!issued[0]) throw alreadyHasCard();
    return { issued: issued[0], output };
  }

  /**
   * The common part: PINs hashed before the transaction (Argon2 is slow on purpose), then, under
   * the Comune's issuance lock, a card for each holder still without a live one.
   */
  private async issue<R>(
    em: EntityManager,
    person: PersonCaller,
    comuneId: string,
    holders: { applicationId: string; hash: string; cipher: string }[],
    subject: string,
    deliver: IssueDelivery<R> | undefined,
  ): Promise<{ issued: IssuedCard[]; output: R | undefined }> {
    if (holders.length === 0) return { issued: [], output: undefined };
    const pins = await hashPins(holders.length);
    return em.transactional(async (tx) => {
      // One issuance per Comune at a time: the live-card check and the inserts cannot interleave
      // (the partial unique index is the last guard).
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
        `card-issue:${comuneId}`,
      ]);
      const live = await tx.execute<{ hash: string }[]>(
        `select "holder_fiscal_code_hash" as "hash" from "public_welfare"."card"
         where "comune_id" = ? and "holder_fiscal_code_hash" = any(?::text[]) and "status" <> 'REPLACED'`,
        [comuneId, `{${holders.map((h) => h.hash).join(',')}}`],
      );
      const taken = new Set(live.map((r) => r.hash));
      const numbers = await freshNumbers(tx, holders.length);
      const issued: IssuedCard[] = [];
      holders.forEach((holder, i) => {
        if (taken.has(holder.hash)) return;
        const card = tx.create(Card, {
          comuneId,
          number: numbers[i]!,
          holderFiscalCodeHash: holder.hash,
          holderFiscalCodeCipher: holder.cipher,
          pinHash: pins[i]!.hash,
          qrNonce: newQrNonce(),
          applicationId: holder.applicationId,
          issuedBy: person.personId,
        });
        issued.push({
          card,
          pin: pins[i]!.pin,
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
    const [pin] = await hashPins(1);
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
        pinHash: pin!.hash,
        qrNonce: newQrNonce(),
        applicationId: old.applicationId,
        issuedBy: person.personId,
      });
      tx.persist(fresh);
      await tx.flush();
      // The credit follows the holder to the new card.
      await moveCardCredit(tx, old.id, fresh.id);
      await this.audit.record(tx, actorOf(person), old.comuneId, 'REPLACE_CARD', `card:${old.id}`);
      const issued: IssuedCard = {
        card: fresh,
        pin: pin!.pin,
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
   * Checks a PIN. Each attempt is counted before the hash is checked, with one conditional
   * UPDATE (`pin_failures < 5`), so concurrent attempts never check more than 5 wrong PINs
   * between two right ones; the attempt that reaches 5 and fails locks the card (BLOCKED,
   * PIN_LOCKED) and alone answers LOCKED (later ones, BLOCKED). A right PIN clears the count. Anything that is not 6 digits is a wrong PIN,
   * checked the same way (same time). Runs its own statements: call it outside a transaction
   * that could roll the count back.
   */
  async verifyPin(em: EntityManager, cardId: string, pin: string): Promise<PinCheck> {
    const candidate = pin.length <= 32 ? pin : '';
    const reserved = isUuid(cardId)
      ? await em.execute<{ pin_hash: string; pin_failures: number }[]>(
          `update "public_welfare"."card" set "pin_failures" = "pin_failures" + 1, "updated_at" = now()
           where "id" = ? and "status" = 'ACTIVE' and "pin_failures" < ?
           returning "pin_hash", "pin_failures"`,
          [cardId, MAX_PIN_FAILURES],
          'all',
        )
      : [];
    const row = reserved[0];
    if (!row) {
      await dummyVerify(candidate);
      const [state] = isUuid(cardId)
        ? await em.execute<{ status: CardStatus }[]>(
            `select "status" from "public_welfare"."card" where "id" = ?`,
            [cardId],
          )
        : [];
      if (!state) throw cardNotFound();
      if (state.status === 'REPLACED') return { ok: false, reason: 'REPLACED', attemptsLeft: 0 };
      if (state.status === 'BLOCKED') return { ok: false, reason: 'BLOCKED', attemptsLeft: 0 };
      // ACTIVE with 5 failures: another attempt used the last try and is locking it right now.
      return { ok: false, reason: 'BLOCKED', attemptsLeft: 0 };
    }
    const right =
      (await verify(row.pin_hash, candidate).catch(() => false)) && /^[0-9]{6}$/.test(pin);
    if (right) {
      await em.execute(
        `update "public_welfare"."card" set "pin_failures" = 0 where "id" = ? and "status" = 'ACTIVE'`,
        [cardId],
      );
      return { ok: true };
    }
    if (row.pin_failures >= MAX_PIN_FAILURES) {
      await em.execute(
        `update "public_welfare"."card" set "status" = 'BLOCKED', "block_reason" = 'PIN_LOCKED',
           "blocked_at" = now(), "updated_at" = now()
         where "id" = ? and "status" = 'ACTIVE' and "pin_failures" >= ?`,
        [cardId, MAX_PIN_FAILURES],
      );
      return { ok: false, reason: 'LOCKED', attemptsLeft: 0 };
    }
    return { ok: false, reason: 'WRONG_PIN', attemptsLeft: MAX_PIN_FAILURES - row.pin_failures };
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
    const read = payload.length <= 200 ? this.qr.verify(payload) : undefined;
    const card = read ? await em.findOne(Card, { id: read.cardId }) : null;
    if (!read || !card || !sameSecret(card.qrNonce, read.nonce)) throw invalidQr();
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
   * The card a QR payload names, with no access check (the shop's POS: the caller checks the
   * shop's Comune). Null for a malformed, tampered or forged payload or a re-keyed card.
   */
  async findByQr(em: EntityManager, payload: string): Promise<Card | null> {
    const read = payload.length <= 200 ? this.qr.verify(payload) : undefined;
    const card = read ? await em.findOne(Card, { id: read.cardId }) : null;
    return read && card && sameSecret(card.qrNonce, read.nonce) ? card : null;
  }

  /**
   * The live card of a codice fiscale in a Comune, with no access check (the shop's POS).
   * BAD_USER_INPUT for a malformed codice fiscale; null when there is no live card.
   */
  async findByFiscalCode(
    em: EntityManager,
    comuneId: string,
    fiscalCode: string,
  ): Promise<Card | null> {
    const cf = normaliseFiscalCode(fiscalCode.slice(0, 32));
    if (!isValidPersonalFiscalCode(cf)) {
      new FieldErrors()
        .add('card.fiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.')
        .throwIfAny();
    }
    return em.findOne(Card, {
      comuneId,
      holderFiscalCodeHash: this.applications.fiscalCodeHash(cf),
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

/** The Argon2id hash of a PIN, with the service's parameters (the demo's fixed PIN). */
export function hashPin(pin: string): Promise<string> {
  return hash(pin, ARGON2_OPTIONS);
}

/** `count` new PINs with their Argon2id hashes, a few at a time. */
async function hashPins(count: number): Promise<{ pin: string; hash: string }[]> {
  const out: { pin: string; hash: string }[] = [];
  for (let i = 0; i < count; i += HASH_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(HASH_CONCURRENCY, count - i) }, () => newPin());
    const hashes = await Promise.all(batch.map((pin) => hash(pin, ARGON2_OPTIONS)));
    batch.forEach((pin, j) => out.push({ pin, hash: hashes[j]! }));
  }
  return out;
}

/** `count` new card numbers, distinct and not in use (a clash of random numbers is redrawn). */
async function freshNumbers(em: EntityManager, count: number): Promise<string[]> {
  const numbers = new Set<string>();
  while (numbers.size < count) {
    const draw = Array.from({ length: count - numbers.size }, () => newCardNumber());
    const used = await em.execute<{ number: string }[]>(
      `select "number" from "public_welfare"."card" where "number" = any(?::text[])`,
      [`{${draw.join(',')}}`],
    );
    const taken = new Set(used.map((r) => r.number));
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

function alreadyHasCard(): DomainError {
  return DomainError.conflict({
    it: 'Il titolare ha già una carta attiva in questo Comune.',
    en: 'The holder already has a live card in this Comune.',
  });
}

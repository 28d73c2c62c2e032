import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import { Application } from '../application/application.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import {
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  fundAccount,
} from '../ledger/ledger.js';
import { releaseCardHolds } from '../fund/fund-holds.js';
import type { MessageService } from '../messages/message.service.js';
import { cardKey, liveCards } from '../top-up/top-up.repository.js';
import {
  holderCardIds,
  lockApplication,
  writeRevocation,
  type RevocableApplication,
} from './revocation.repository.js';

/** Longest reason of a revocation (a technical bound, as a list correction's). */
const MAX_REASON_LENGTH = 500;

/** A revocation asked for: the application and why. */
export interface Revocation {
  applicationId: string;
  reason: string;
}

/** What a revocation did (the same again answers the same). */
export interface RevocationResult {
  applicationId: string;
  /** Cents its tranches credited to the holder's card, all tranches. */
  creditedCents: number;
  /** Unspent credit of the campaign taken back from the holder's card to the campaign's FUND. */
  returnedCents: number;
  /** What had been spent when revoked: it stays spent (a checkout's pending hold is released). */
  spentCents: number;
  revokedAt: Date;
}

const notFound = () =>
  DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });

/**
 * The revocation of a benefit (decadenza, DPR 445/2000 art. 75): when the Comune finds, after
 * credit was given, that the beneficiary was not entitled (e.g. a false self-declaration found by
 * the checks of art. 71), the MANAGER of the campaign's Comune revokes the APPROVED application
 * (from the portal or a direct list). In one transaction, with the locks a top-up takes in the
 * same order (the campaign's row, the holder's live card FOR KEY SHARE, then the card's accounts in
 * id order, as a payment locks them): the card's unspent credit of that campaign goes back to the
 * campaign's FUND as a SWEEP (the code of unspent credit returned: the monitoring, the
 * reconciliation, the funding allocation and the exports count it as returned, unchanged), the
 * application becomes REVOKED with its figures (so top-ups, card issuance and reminders, which
 * read APPROVED applications, skip it), the timeline gets a REVOKED event with the reason, and the
 * audit log REVOKE_BENEFIT, and the applicant is told (a BENEFIT_REVOKED message in the outbox, in
 * their language, on the channels of a decision). What was spent stays spent; its recovery happens
 * outside the platform. Other campaigns' credit on the card is untouched. The same revocation
 * again writes nothing (no second message) and answers the first result.
 */
export class RevocationService {
  constructor(
    private readonly audit: AuditService,
    private readonly messages: MessageService,
  ) {}

  async revoke(em: EntityManager, caller: Caller, input: Revocation): Promise<RevocationResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(input.applicationId)) throw notFound();
    const reason = (input.reason ?? '').trim();
    const errors = new FieldErrors();
    if (reason.length === 0)
      errors.add(
        'reason',
        'Indicare il motivo della revoca (per esempio l’esito del controllo sulla dichiarazione).',
        'Give the reason for the revocation (for example the outcome of the check on the declaration).',
      );
    else if (reason.length > MAX_REASON_LENGTH)
      errors.add(
        'reason',
        `Al massimo ${MAX_REASON_LENGTH} caratteri.`,
        `At most ${MAX_REASON_LENGTH} characters.`,
      );
    const app = await em.findOne(Application, { id: input.applicationId });
    if (!app || !isComuneStaff(caller, app.comuneId)) throw notFound();
    requireComuneManager(caller, app.comuneId);
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      // The campaign's lock first, as top-ups, decisions and corrections take it; then the entry.
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: app.campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      const entry = (await lockApplication(tx, app.id))!;
      if (entry.status === 'REVOKED') return stored(entry);
      if (entry.status !== 'APPROVED')
        throw DomainError.badInput([
          {
            field: 'applicationId',
            message: {
              it: 'Si può revocare solo un beneficio concesso (domanda accolta o importata da un elenco).',
              en: 'Only a granted benefit (an approved application, or one imported from a list) can be revoked.',
            },
          },
        ]);
      // What earlier sweeps (after a spending window) already took back from the holder's cards.
      const sweptBefore = await sweptFromHolder(tx, entry);
      const returnedCents = await this.returnUnspent(tx, entry);
      const spentCents = Math.max(0, entry.creditedCents - sweptBefore - returnedCents);
      const revokedAt = await writeRevocation(tx, {
        applicationId: entry.id,
        comuneId: entry.comuneId,
        actor: actorOf(caller),
        reason,
        returnedCents,
        spentCents,
      });
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'REVOKE_BENEFIT',
        `application:${entry.id}`,
      );
      // The applicant is told in the same transaction (the outbox), as a decision is: the
      // portal, and the email and phone of the application when given. Once: the repeat returns
      // above; the key also guards it.
      await this.messages.notify(tx, {
        comuneId: entry.comuneId,
        applicationId: entry.id,
        campaignId: campaign.id,
        to: {
          email: app.answers.email,
          phone: app.answers.phone,
          fiscalCodeHash: entry.applicantFiscalCodeHash,
        },
        template: 'BENEFIT_REVOKED',
        params: {
          protocolNumber: app.protocolNumber!,
          campaignTitle: campaign.title,
          reason,
          returnedCents,
          spentCents,
        },
        dedupeKey: `revoked:${entry.id}`,
      });
      return {
        applicationId: entry.id,
        creditedCents: entry.creditedCents,
        returnedCents,
        spentCents,
        revokedAt,
      };
    });
  }

  /**
   * Moves what the holder's live card can still spend of the campaign back to its FUND (SWEEP,
   * reference `application:<id>`, an id derived from the application: applied once). The card is
   * locked FOR KEY SHARE (not replaced meanwhile), then all its accounts in id order, as a
   * payment locks them: a payment either spent before (less comes back) or finds nothing after.
   */
  private async returnUnspent(tx: EntityManager, entry: RevocableApplication): Promise<number> {
    const cards = await liveCards(tx, [
      {
        id: entry.id,
        comuneId: entry.comuneId,
        applicantFiscalCodeHash: entry.applicantFiscalCodeHash,
        amountCents: entry.amountCents,
      },
    ]);
    const cardId = cards.get(cardKey(entry.comuneId, entry.applicantFiscalCodeHash));
    if (!cardId) return 0;
    const accounts = await book.lockAccounts(tx, { owner: { kind: 'card', ids: [cardId] } });
    let account = accounts.find((a) => a.owner?.scopeId === entry.campaignId);
    if (!account) return 0;
    // A checkout's pending hold on this credit is released first (its leg RELEASED: the checkout
    // fails and is undone), so revoked credit is neither captured after the revocation nor given
    // back to the card by a later release or expiry.
    if (account.debitsPending > 0) {
      await releaseCardHolds(tx, cardId, [account.id]);
      [account] = await book.accounts(tx, { ids: [account.id] });
    }
    if (!account || account.available <= 0) return 0;
    const fund = await fundAccount(tx, entry.campaignId);
    await book.transfer(tx, {
      id: deterministicId('revoke', entry.id),
      debit: account.id,
      credit: fund.id,
      amount: account.available,
      code: TransferCode.SWEEP,
      reference: `application:${entry.id}`,
    });
    return account.available;
  }
}

/** The answer of a revocation already made: its recorded figures. */
function stored(entry: RevocableApplication): RevocationResult {
  return {
    applicationId: entry.id,
    creditedCents: entry.creditedCents,
    returnedCents: entry.revokedReturnedCents ?? 0,
    spentCents: entry.revokedSpentCents ?? 0,
    revokedAt: entry.revokedAt ?? new Date(0),
  };
}

/** The SWEEP debits of the holder's accounts (every card they had) for the campaign. */
async function sweptFromHolder(tx: EntityManager, entry: RevocableApplication): Promise<number> {
  const cardIds = await holderCardIds(tx, entry.comuneId, entry.applicantFiscalCodeHash);
  if (cardIds.length === 0) return 0;
  const [swept] = await book.movementTotals(
    tx,
    { codes: cardIds.map((id) => accountCodes.card(id, entry.campaignId)) },
    { codes: [TransferCode.SWEEP], by: 'set' },
  );
  return swept?.debits ?? 0;
}

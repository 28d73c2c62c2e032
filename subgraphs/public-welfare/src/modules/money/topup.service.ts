import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { arrayLiteral, type TransferInput } from '@welfare/kit/book';
import { Application } from '../application/application.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { actorOf, isComuneStaff, isUuid } from '../shared/access.js';
import { isTopUpScheduler } from './schedule/scheduler-caller.js';
import {
  TransferCode,
  book,
  cardAccounts,
  deterministicId,
  fundAccount,
  italianDate,
  MoneyRefusal,
  syncCampaignFund,
} from './ledger.js';

/** One tranche of a top-up: its number (1..20) and the share of the entitlement it credits. */
export interface TrancheInput {
  /** 1-based; the same number again is a replay and credits nothing more. */
  number: number;
  /** Percent of the entitlement, 1..100 (default 100); capped at what is still due. */
  percent?: number;
}

export interface TopUpLine {
  applicationId: string;
  cardId: string | null;
  /** Cents credited by this call (0 for a replay or when nothing is due). */
  creditedCents: number;
  /** Cents credited for the application so far, all tranches. */
  totalCreditedCents: number;
  entitlementCents: number;
}

export interface TopUpResult {
  lines: TopUpLine[];
  creditedCents: number;
  /** Approved applications without a live card (nothing credited). */
  withoutCard: number;
}

/** What a top-up needs of an APPROVED application. */
export type TopUpApplicant = Pick<
  Application,
  'id' | 'comuneId' | 'applicantFiscalCodeHash' | 'amountCents'
>;

export interface SweepResult {
  accounts: number;
  returnedCents: number;
}

const notFound = () =>
  DomainError.notFound({ it: 'Campagna non trovata.', en: 'Campaign not found.' });

/**
 * Credits entitlements to cards (FUND → the card's account for the campaign), in tranches whose
 * book ids derive from (application, tranche number), so a replayed call credits nothing twice;
 * and returns unspent credit to the FUND after the spending window (`sweepExpired`).
 *
 * A top-up is set-based: whatever the number of applications, a constant number of queries (the
 * live cards of all of them, what each already received, the card accounts opened in one go, the
 * credits in one `transferMany`), so that a campaign of 10,000 beneficiaries fits a request.
 */
export class TopUpService {
  constructor(
    private readonly audit: AuditService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Tops up one APPROVED application's card (staff of its Comune). */
  async topUpApplication(
    em: EntityManager,
    caller: Caller,
    applicationId: string,
    tranche: TrancheInput = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(applicationId)) throw appNotFound();
    const app = await em.findOne(Application, { id: applicationId });
    if (!app || !isComuneStaff(caller, app.comuneId)) throw appNotFound();
    if (app.status !== 'APPROVED' || !app.amountCents) {
      throw new MoneyRefusal('NOT_APPROVED', {
        it: 'Solo una domanda accolta con un importo può essere ricaricata.',
        en: 'Only an approved application with an amount can be topped up.',
      });
    }
    return this.run(em, caller, app.campaignId, [app], t);
  }

  /** Tops up every APPROVED application of the campaign, all or nothing (staff of its Comune). */
  async topUpCampaign(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    tranche: TrancheInput = { number: 1 },
  ): Promise<TopUpResult> {
    if (caller.kind !== 'person' && !isTopUpScheduler(caller)) throw DomainError.unauthenticated();
    const t = checkTranche(tranche);
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !(isTopUpScheduler(caller) || isComuneStaff(caller, campaign.comuneId)))
      throw notFound();
    // Plain rows, not entities: nothing for the transaction's flush to inspect.
    const rows = await em.execute<
      { id: string; comune_id: string; hash: string; amount_cents: string }[]
    >(
      `select id, comune_id, applicant_fiscal_code_hash as hash, amount_cents::text as amount_cents
         from "public_welfare"."application"
        where campaign_id = ? and status = 'APPROVED' and amount_cents > 0
        order by id`,
      [campaignId],
    );
    const apps = rows.map((r) => ({
      id: r.id,
      comuneId: r.comune_id,
      applicantFiscalCodeHash: r.hash,
      amountCents: Number(r.amount_cents),
    }));
    return this.run(em, caller, campaignId, apps, t);
  }

  /**
   * Credits the tranche to each application's live card, all or nothing, under the campaign's row
   * lock (concurrent top-ups of a campaign queue). Queries: the lock, the FUND's sync, the live
   * cards of all the applications, what each already received, the card accounts, the credits.
   */
  private async run(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    apps: readonly TopUpApplicant[],
    t: Required<TrancheInput>,
  ): Promise<TopUpResult> {
    return em.transactional(async (tx) => {
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (campaign.status === 'DRAFT') {
        throw new MoneyRefusal('CAMPAIGN_NOT_PUBLISHED', {
          it: 'La campagna non è pubblicata.',
          en: 'The campaign is not published.',
        });
      }
      if (italianDate(this.now()) > campaign.spendingUntil) {
        throw new MoneyRefusal('OUTSIDE_WINDOW', {
          it: 'Il periodo di spesa della campagna è finito: niente ricariche.',
          en: "The campaign's spending window is over: no top-ups.",
        });
      }
      const fund = await syncCampaignFund(tx, campaign);
      const cards = await liveCards(tx, apps);
      const received = await receivedTopUps(tx, fund.id, apps, t.number);
      const accounts = await cardAccounts(tx, [...cards.values()], campaignId);
      const lines: TopUpLine[] = [];
      const credits: TransferInput[] = [];
      let withoutCard = 0;
      for (const app of apps) {
        const entitlement = app.amountCents ?? 0;
        const cardId = cards.get(cardKey(app.comuneId, app.applicantFiscalCodeHash));
        if (!cardId) {
          withoutCard++;
          lines.push({
            applicationId: app.id,
            cardId: null,
            creditedCents: 0,
            totalCreditedCents: 0,
            entitlementCents: entitlement,
          });
          continue;
        }
        const done = received.get(app.id) ?? { total: 0, tranche: false };
        const due = entitlement - done.total;
        // This tranche already applied: nothing; otherwise its share, never beyond the entitlement.
        const amount = done.tranche
          ? 0
          : Math.max(0, Math.min(due, Math.floor((entitlement * t.percent) / 100)));
        if (amount > 0) {
          credits.push({
            id: deterministicId('topup', app.id, t.number),
            debit: fund.id,
            credit: accounts.get(cardId)!.id,
            amount,
            code: TransferCode.TOPUP,
            reference: `application:${app.id}`,
          });
        }
        lines.push({
          applicationId: app.id,
          cardId,
          creditedCents: amount,
          totalCreditedCents: done.total + amount,
          entitlementCents: entitlement,
        });
      }
      // One statement for all the credits; the FUND's InsufficientFunds refuses them all.
      await book.transferMany(tx, credits);
      const creditedCents = lines.reduce((s, l) => s + l.creditedCents, 0);
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'TOP_UP',
        `campaign:${campaign.id}`,
      );
      return { lines, creditedCents, withoutCard };
    });
  }

  /**
   * After the spending window, returns every card's unspent credit of the campaign to its FUND
   * (staff of its Comune). Idempotent: a second sweep finds nothing left.
   */
  async sweepExpired(em: EntityManager, caller: Caller, campaignId: string): Promise<SweepResult> {
    if (caller.kind !== 'person' && !isTopUpScheduler(caller)) throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !(isTopUpScheduler(caller) || isComuneStaff(caller, campaign.comuneId)))
      throw notFound();
    if (italianDate(this.now()) <= campaign.spendingUntil) {
      throw new MoneyRefusal('WINDOW_OPEN', {
        it: 'Il periodo di spesa non è ancora finito.',
        en: 'The spending window is not over yet.',
      });
    }
    return em.transactional(async (tx) => {
      await tx.findOneOrFail(
        Campaign,
        { id: campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const fund = await fundAccount(tx, campaignId);
      const rows = await tx.execute<{ id: string; available: string; credits: string }[]>(
        `select id, (credits_posted - debits_posted - debits_pending)::text as available,
                credits_posted::text as credits
           from "public_welfare"."book_account"
          where kind = 'HOLDER' and code like ? and credits_posted - debits_posted - debits_pending > 0
          order by id`,
        [`card:%:campaign:${campaignId}`],
      );
      let returnedCents = 0;
      for (const row of rows) {
        const amount = Number(row.available);
        await book.transfer(tx, {
          id: deterministicId('sweep', row.id, row.credits),
          debit: row.id,
          credit: fund.id,
          amount,
          code: TransferCode.SWEEP,
          reference: `campaign:${campaignId}`,
        });
        returnedCents += amount;
      }
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'SWEEP',
        `campaign:${campaignId}`,
      );
      return { accounts: rows.length, returnedCents };
    });
  }
}

/** The key of a holder's live card: one per Comune and codice fiscale (a partial unique index). */
function cardKey(comuneId: string, fiscalCodeHash: string): string {
  return `${comuneId}\u0000${fiscalCodeHash}`;
}

/** The live (not REPLACED) card of each applicant, in one query: card ids by `cardKey`. */
async function liveCards(
  em: EntityManager,
  apps: readonly TopUpApplicant[],
): Promise<Map<string, string>> {
  const keys = new Map<string, TopUpApplicant>();
  for (const app of apps) keys.set(cardKey(app.comuneId, app.applicantFiscalCodeHash), app);
  if (keys.size === 0) return new Map();
  const holders = [...keys.values()];
  const rows = await em.execute<{ id: string; comune_id: string; hash: string }[]>(
    `select c.id, c.comune_id, c.holder_fiscal_code_hash as hash
       from unnest(?::uuid[], ?::text[]) as k(comune_id, hash)
       join "public_welfare"."card" c
         on c.comune_id = k.comune_id and c.holder_fiscal_code_hash = k.hash
      where c.status <> 'REPLACED'`,
    [
      arrayLiteral(holders.map((a) => a.comuneId)),
      arrayLiteral(holders.map((a) => a.applicantFiscalCodeHash)),
    ],
  );
  return new Map(rows.map((r) => [cardKey(r.comune_id, r.hash), r.id]));
}

/**
 * What each application already received from the campaign's FUND (TOPUP transfers, every
 * tranche), and whether tranche `number` is among them, in one query (by application id).
 */
async function receivedTopUps(
  em: EntityManager,
  fundId: string,
  apps: readonly TopUpApplicant[],
  number: number,
): Promise<Map<string, { total: number; tranche: boolean }>> {
  if (apps.length === 0) return new Map();
  const rows = await em.execute<{ reference: string; total: string; tranche: boolean }[]>(
    `select t.reference, sum(t.amount)::text as total, bool_or(t.id = k.tranche_id) as tranche
       from unnest(?::text[], ?::uuid[]) as k(reference, tranche_id)
       join "public_welfare"."book_transfer" t on t.reference = k.reference
      where t.debit_account_id = ? and t.code = ?
      group by t.reference`,
    [
      arrayLiteral(apps.map((a) => `application:${a.id}`)),
      arrayLiteral(apps.map((a) => deterministicId('topup', a.id, number))),
      fundId,
      TransferCode.TOPUP,
    ],
  );
  return new Map(
    rows.map((r) => [
      r.reference.slice('application:'.length),
      { total: Number(r.total), tranche: r.tranche },
    ]),
  );
}

function appNotFound() {
  return DomainError.notFound({ it: 'Domanda non trovata.', en: 'Application not found.' });
}

function checkTranche(t: TrancheInput): Required<TrancheInput> {
  const errors = new FieldErrors();
  if (!Number.isInteger(t.number) || t.number < 1 || t.number > 20)
    errors.add('tranche.number', 'Un numero intero da 1 a 20.', 'A whole number from 1 to 20.');
  const percent = t.percent ?? 100;
  if (!Number.isInteger(percent) || percent < 1 || percent > 100)
    errors.add('tranche.percent', 'Un numero intero da 1 a 100.', 'A whole number from 1 to 100.');
  errors.throwIfAny();
  return { number: t.number, percent };
}

import { randomUUID } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized } from '@welfare/kit';
import { isUuid, requireComuneManager } from '../shared/access.js';
import { arrayLiteral } from '@welfare/kit/book';
import { TransferCode, book, parseCardAccountCode } from '../ledger/ledger.js';

const S = '"public_welfare"';

/** The checks the reconciliation runs above the book (each problem names one). */
export const RECONCILIATION_CHECKS = [
  'FUND_FOLLOWS_BUDGET',
  'FUND_BALANCE',
  'COMMITTED_WITHIN_BUDGET',
  'CREDIT_WITHIN_ENTITLEMENT',
  'CREDIT_EQUALS_TRANCHES',
  'CREDIT_ONLY_APPROVED',
  'NO_CREDIT_ON_REPLACED_CARD',
  'PAYMENT_LEGS',
  'VOID_MATCHES_PAYMENT',
  'CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS',
  'SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE',
  'REIMBURSEMENT_CAMPAIGN',
  'BATCH_TOTALS',
] as const;
export type ReconciliationCheck = (typeof RECONCILIATION_CHECKS)[number];

/** One thing that does not add up. */
export interface ReconciliationProblem {
  check: ReconciliationCheck;
  /** What it is about: `campaign:<id>`, `application:<id>`, `card:<id>`, `payment:<id>`, `batch:<id>`. */
  subject: string;
  /** The figure the rule expects, in cents (null when the rule is not about an amount). */
  expectedCents: number | null;
  /** The figure found, in cents. */
  actualCents: number | null;
  message: Localized;
}

export type ReconciliationTrigger = 'SCHEDULER' | 'ON_DEMAND';

/** A run of the reconciliation for one Comune. */
export interface ReconciliationReport {
  id: string | null;
  comuneId: string;
  ranAt: Date;
  trigger: ReconciliationTrigger | null;
  ok: boolean;
  problems: ReconciliationProblem[];
}

/** At most this many problems are kept per run (all are counted). */
const MAX_PROBLEMS = 200;

const num = (v: string | number | null | undefined) => Number(v ?? 0);

/**
 * Reconciliation above the book (issue 11). The book's own `checkInvariants` proves debits equal
 * credits and no account but the issuer's is negative; these checks prove that the money means
 * what public-welfare says it means, for one Comune, on one snapshot (a read-only REPEATABLE
 * READ transaction):
 * - each published campaign's FUND received exactly its budget (BUDGET − BUDGET_REDUCE), and holds
 *   the budget minus what was credited to cards plus what was swept back; the APPROVED
 *   applications' entitlements fit the budget;
 * - each application's credit (TOPUP transfers) is at most its entitlement, equals the sum of its
 *   tranche rows, and only APPROVED applications hold credit;
 * - no REPLACED card holds credit (its credit follows the holder to the new card);
 * - each payment's legs add up to its amount, each leg going from a card account of the payment's
 *   card to the shop account of the same merchant in the same campaign; a VOIDED payment's void
 *   transfers reverse each leg exactly (to a card account of the same holder and campaign), an
 *   AUTHORISED payment has none;
 * - per campaign, what cards paid (PAYMENT − PAYMENT_VOID) equals what the campaign's shop
 *   accounts received, which equals what was reimbursed plus what is still due to the shops;
 *   reimbursements of a campaign's shop accounts belong to that campaign's batches; each batch's
 *   total equals its lines and its payments, and a PAID batch moved exactly its total.
 *
 * `run` stores each run (`money_reconciliation`); the scheduler runs it for every Comune with a
 * published campaign, and a MANAGER of the Comune (or a platform admin) runs it on demand and
 * reads the latest run: a failed one is the alert.
 */
export class ReconciliationService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Checks one Comune's money on one snapshot. Read-only. */
  async check(em: EntityManager, comuneId: string): Promise<ReconciliationProblem[]> {
    return em.fork().transactional(
      async (tx) => {
        const problems: ReconciliationProblem[] = [];
        await this.campaigns(tx, comuneId, problems);
        await this.applications(tx, comuneId, problems);
        await this.replacedCards(tx, comuneId, problems);
        await this.payments(tx, comuneId, problems);
        await this.shops(tx, comuneId, problems);
        await this.batches(tx, comuneId, problems);
        return problems;
      },
      { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /** Runs the checks for one Comune and stores the run. */
  async runFor(
    em: EntityManager,
    comuneId: string,
    trigger: ReconciliationTrigger,
  ): Promise<ReconciliationReport> {
    const problems = await this.check(em, comuneId);
    const id = randomUUID();
    const ranAt = this.now();
    await em
      .fork()
      .getConnection()
      .execute(
        `insert into ${S}."money_reconciliation" (id, comune_id, ran_at, trigger, ok, problem_count, problems)
         values (?, ?, ?, ?, ?, ?, ?::jsonb)`,
        [
          id,
          comuneId,
          ranAt.toISOString(),
          trigger,
          problems.length === 0,
          problems.length,
          JSON.stringify(problems.slice(0, MAX_PROBLEMS)),
        ],
      );
    return { id, comuneId, ranAt, trigger, ok: problems.length === 0, problems };
  }

  /** The Comuni with money to check: those with a campaign that is not a draft. */
  async comuniWithMoney(em: EntityManager): Promise<string[]> {
    const rows = await em.execute<{ comune_id: string }[]>(
      `select distinct comune_id from ${S}."campaign" where status <> 'DRAFT' order by comune_id`,
    );
    return rows.map((r) => r.comune_id);
  }

  /** The scheduler's pass: every Comune with money, one stored run each. Returns the failed ones. */
  async runAll(em: EntityManager): Promise<ReconciliationReport[]> {
    const failed: ReconciliationReport[] = [];
    for (const comuneId of await this.comuniWithMoney(em)) {
      const report = await this.runFor(em, comuneId, 'SCHEDULER');
      if (!report.ok) failed.push(report);
    }
    return failed;
  }

  /** A MANAGER of the Comune (or a platform admin) runs it now. */
  async runOnDemand(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<ReconciliationReport> {
    requireComuneManager(caller, comuneId);
    return this.runFor(em, comuneId.toLowerCase(), 'ON_DEMAND');
  }

  /** The Comune's latest run (its MANAGERs and platform admins), null before the first. */
  async latest(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
  ): Promise<ReconciliationReport | null> {
    requireComuneManager(caller, comuneId);
    const [row] = await em.execute<ReportRow[]>(
      `select ${REPORT_COLUMNS} from ${S}."money_reconciliation" where comune_id = ?
        order by ran_at desc, id limit 1`,
      [comuneId.toLowerCase()],
    );
    return row ? toReport(row) : null;
  }

  /**
   * Platform admins: the latest run of every Comune whose latest run failed (the alert across
   * the platform). FORBIDDEN for anyone else.
   */
  async alerts(em: EntityManager, caller: Caller): Promise<ReconciliationReport[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!caller.platformAdmin) throw DomainError.forbidden();
    const rows = await em.execute<ReportRow[]>(
      `select ${REPORT_COLUMNS} from (
         select distinct on (comune_id) * from ${S}."money_reconciliation"
          order by comune_id, ran_at desc, id) r
        where not r.ok order by r.ran_at desc limit 500`,
    );
    return rows.map(toReport);
  }

  // ------------------------------------------------------------------ the checks

  private async campaigns(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const campaigns = await tx.execute<{ id: string; budget: string; committed: string }[]>(
      `select c.id, c.budget_cents::text as budget,
              coalesce((select sum(a.amount_cents) from ${S}."application" a
                         where a.campaign_id = c.id and a.status = 'APPROVED'), 0)::text as committed
         from ${S}."campaign" c
        where c.comune_id = ? and c.status <> 'DRAFT'
        order by c.id`,
      [comuneId],
    );
    // The campaigns' FUND accounts (owned by the campaign) and their movements, from the book.
    const funds = {
      owner: { kind: 'campaign', ids: campaigns.map((c) => c.id), accountKind: 'FUND' },
    };
    const fundPosted = new Map(
      (await book.accounts(tx, funds)).map((a) => [a.owner!.id, a.posted] as const),
    );
    const moves = await book.movementTotals(tx, funds, {
      by: 'owner',
      codes: [
        TransferCode.BUDGET,
        TransferCode.BUDGET_REDUCE,
        TransferCode.TOPUP,
        TransferCode.SWEEP,
      ],
    });
    const moved = (campaignId: string, code: string) =>
      moves.find((t) => t.ownerKey === campaignId && t.code === code);
    const rows = campaigns.map((c) => ({
      ...c,
      funded:
        (moved(c.id, TransferCode.BUDGET)?.net ?? 0) +
        (moved(c.id, TransferCode.BUDGET_REDUCE)?.net ?? 0),
      fund_posted: fundPosted.get(c.id) ?? null,
      topups: moved(c.id, TransferCode.TOPUP)?.debits ?? 0,
      sweeps: moved(c.id, TransferCode.SWEEP)?.credits ?? 0,
    }));
    for (const r of rows) {
      const subject = `campaign:${r.id}`;
      const budget = num(r.budget);
      if (num(r.funded) !== budget)
        push(out, 'FUND_FOLLOWS_BUDGET', subject, budget, num(r.funded), {
          it: 'Il fondo della misura non ha ricevuto esattamente il suo bilancio.',
          en: "The campaign's fund did not receive exactly its budget.",
        });
      const expected = num(r.funded) - num(r.topups) + num(r.sweeps);
      if (num(r.fund_posted) !== expected)
        push(out, 'FUND_BALANCE', subject, expected, num(r.fund_posted), {
          it: 'Il saldo del fondo non è bilancio − ricariche + restituzioni.',
          en: "The fund's balance is not budget − top-ups + sweeps.",
        });
      if (num(r.committed) > budget)
        push(out, 'COMMITTED_WITHIN_BUDGET', subject, budget, num(r.committed), {
          it: 'Le domande accolte superano il bilancio della misura.',
          en: "Approved applications exceed the campaign's budget.",
        });
    }
  }

  private async applications(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    // What the FUNDs of the Comune's campaigns paid to each application (TOPUP `application:<id>`).
    const campaigns = await tx.execute<{ id: string }[]>(
      `select id from ${S}."campaign" where comune_id = ?`,
      [comuneId],
    );
    const credit = (
      await book.movementTotals(
        tx,
        { owner: { kind: 'campaign', ids: campaigns.map((c) => c.id), accountKind: 'FUND' } },
        { codes: [TransferCode.TOPUP], referencePrefix: 'application:', by: 'reference' },
      )
    )
      .filter((t) => t.debits > 0)
      .map((t) => ({ id: t.reference!.slice('application:'.length), cents: t.debits }));
    const rows = await tx.execute<
      {
        id: string;
        status: string;
        entitlement: string | null;
        credited: string;
        tranches: string;
      }[]
    >(
      `with credit as (
         select x.application_id, x.cents
           from unnest(?::uuid[], ?::bigint[]) as x(application_id, cents)),
       tranche as (
         select t.application_id, sum(t.credited_cents) as cents
           from ${S}."application_tranche" t
           join ${S}."campaign" c on c.id = t.campaign_id
          where c.comune_id = ?
          group by 1)
       select a.id, a.status, a.amount_cents::text as entitlement,
              coalesce(credit.cents, 0)::text as credited, coalesce(tranche.cents, 0)::text as tranches
         from ${S}."application" a
         left join credit on credit.application_id = a.id
         left join tranche on tranche.application_id = a.id
        where a.comune_id = ? and (credit.cents is not null or tranche.cents is not null)
        order by a.id`,
      [
        arrayLiteral(credit.map((c) => c.id)),
        arrayLiteral(credit.map((c) => c.cents)),
        comuneId,
        comuneId,
      ],
    );
    for (const r of rows) {
      const subject = `application:${r.id}`;
      const credited = num(r.credited);
      const entitlement = num(r.entitlement);
      if (credited > entitlement)
        push(out, 'CREDIT_WITHIN_ENTITLEMENT', subject, entitlement, credited, {
          it: 'La domanda ha ricevuto più del suo importo.',
          en: 'The application received more than its entitlement.',
        });
      if (credited !== num(r.tranches))
        push(out, 'CREDIT_EQUALS_TRANCHES', subject, num(r.tranches), credited, {
          it: 'Il credito della domanda non è la somma delle sue tranche.',
          en: "The application's credit is not the sum of its tranches.",
        });
      if (credited > 0 && r.status !== 'APPROVED')
        push(out, 'CREDIT_ONLY_APPROVED', subject, 0, credited, {
          it: `La domanda ha ricevuto credito ma è in stato ${r.status}.`,
          en: `The application received credit but is ${r.status}.`,
        });
    }
  }

  private async replacedCards(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const replaced = await tx.execute<{ id: string }[]>(
      `select id from ${S}."card" where comune_id = ? and status = 'REPLACED' order by id`,
      [comuneId],
    );
    const totals = new Map(
      (
        await book.ownerTotals(tx, {
          kind: 'card',
          ids: replaced.map((c) => c.id),
          accountKind: 'HOLDER',
        })
      ).map((t) => [t.ownerId, t.posted + t.creditsPending + t.debitsPending] as const),
    );
    const rows = replaced
      .map((c) => ({ card_id: c.id, held: totals.get(c.id) ?? 0 }))
      .filter((r) => r.held !== 0);
    for (const r of rows)
      push(out, 'NO_CREDIT_ON_REPLACED_CARD', `card:${r.card_id}`, 0, num(r.held), {
        it: 'Una carta sostituita ha ancora credito: doveva passare alla nuova carta.',
        en: 'A replaced card still holds credit: it should have moved to the new card.',
      });
  }

  private async payments(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    // The payments and their transfer ids (legs, then voids)...
    const listed = await tx.execute<
      {
        id: string;
        status: string;
        amount: string;
        card_id: string;
        holder: string;
        merchant_id: string;
        kind: 'LEG' | 'VOID';
        n: string;
        transfer_id: string;
      }[]
    >(
      `select p.id, p.status, p.amount_cents::text as amount, p.card_id, pc.holder_fiscal_code_hash as holder,
              pa.merchant_id, x.kind, x.n::text as n, x.transfer_id
         from ${S}."payment" p
         join ${S}."card" pc on pc.id = p.card_id
         join ${S}."shop_accreditation" pa on pa.id = p.accreditation_id
         cross join lateral (
           select 'LEG' as kind, l.n, l.transfer_id
             from jsonb_array_elements_text(p.transfer_ids) with ordinality as l(transfer_id, n)
           union all
           select 'VOID' as kind, v.n, v.transfer_id
             from jsonb_array_elements_text(coalesce(p.void_transfer_ids, '[]'::jsonb)) with ordinality as v(transfer_id, n)
         ) x
        where p.comune_id = ?
        order by p.id, x.kind, x.n`,
      [comuneId],
    );
    // ...their transfers and accounts, from the book...
    const transfers = new Map(
      (
        await book.transfersById(tx, [...new Set(listed.map((r) => r.transfer_id))].filter(isUuid))
      ).map((t) => [t.id, t]),
    );
    const accountIds = [...transfers.values()].flatMap((t) => [
      t.debitAccountId,
      t.creditAccountId,
    ]);
    const accounts = new Map(
      (await book.accounts(tx, { ids: [...new Set(accountIds)] })).map((a) => [a.id, a]),
    );
    const codeOf = (accountId: string | undefined) =>
      accountId === undefined ? null : (accounts.get(accountId)?.code ?? null);
    const legs = listed.map((r) => {
      const t = transfers.get(r.transfer_id.toLowerCase());
      const debit_code = codeOf(t?.debitAccountId);
      const credit_code = codeOf(t?.creditAccountId);
      const shopCode = (r.kind === 'LEG' ? credit_code : debit_code) ?? '';
      const cardCode = (r.kind === 'LEG' ? debit_code : credit_code) ?? '';
      return {
        ...r,
        code: t ? t.code : null,
        t_amount: t ? String(t.amount) : null,
        debit_id: t?.debitAccountId ?? null,
        credit_id: t?.creditAccountId ?? null,
        debit_code,
        credit_code,
        shop: shopCode.startsWith('shop:') ? shopCode.slice(5) : null,
        card: cardCode.startsWith('card:') ? cardCode.split(':')[1]! : null,
      };
    });
    // ...then the shops and cards they name.
    const shops = new Map(
      (
        await tx.execute<{ id: string; campaign_id: string; merchant_id: string }[]>(
          `select id::text as id, campaign_id, merchant_id from ${S}."shop_accreditation"
            where id::text = any(?::text[])`,
          [arrayLiteral([...new Set(legs.flatMap((l) => (l.shop ? [l.shop] : [])))])],
        )
      ).map((r) => [r.id, r]),
    );
    const cards = new Map(
      (
        await tx.execute<{ id: string; holder: string; comune_id: string }[]>(
          `select id::text as id, holder_fiscal_code_hash as holder, comune_id from ${S}."card"
            where id::text = any(?::text[])`,
          [arrayLiteral([...new Set(legs.flatMap((l) => (l.card ? [l.card] : [])))])],
        )
      ).map((r) => [r.id, r]),
    );
    const rows = legs.map((l) => {
      const shop = l.shop === null ? undefined : shops.get(l.shop);
      const card = l.card === null ? undefined : cards.get(l.card);
      return {
        ...l,
        shop_campaign: shop?.campaign_id ?? null,
        shop_merchant: shop?.merchant_id ?? null,
        card_holder: card?.holder ?? null,
        card_comune: card?.comune_id ?? null,
      };
    });
    type Row = (typeof rows)[number];
    const byPayment = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byPayment.get(r.id);
      if (list) list.push(r);
      else byPayment.set(r.id, [r]);
    }
    // Payments whose transfer lists are empty have no rows above: none may exist.
    const [orphans] = await tx.execute<{ n: string }[]>(
      `select count(*)::text as n from ${S}."payment"
        where comune_id = ? and jsonb_array_length(transfer_ids) = 0`,
      [comuneId],
    );
    if (num(orphans?.n) > 0)
      push(out, 'PAYMENT_LEGS', `comune:${comuneId}`, 0, num(orphans?.n), {
        it: 'Pagamenti senza movimenti nel libro.',
        en: 'Payments without movements in the book.',
      });
    for (const [id, list] of byPayment) {
      const subject = `payment:${id}`;
      const first = list[0]!;
      const legs = list.filter((r) => r.kind === 'LEG');
      const voids = list.filter((r) => r.kind === 'VOID');
      const legSum = legs.reduce((s, r) => s + num(r.t_amount), 0);
      const legProblem = legs.find((r) => {
        const card = parseCardAccountCode(r.debit_code ?? '');
        return (
          r.code !== 'PAYMENT' ||
          !card ||
          card.cardId !== first.card_id ||
          r.shop_campaign === null ||
          r.shop_campaign !== card.campaignId ||
          r.shop_merchant !== first.merchant_id
        );
      });
      if (legSum !== num(first.amount) || legProblem)
        push(out, 'PAYMENT_LEGS', subject, num(first.amount), legSum, {
          it: 'I movimenti del pagamento non tornano: importo, carta o negozio della misura sbagliati.',
          en: "The payment's movements do not add up: wrong amount, card or campaign shop.",
        });
      if (first.status === 'AUTHORISED' && voids.length > 0)
        push(
          out,
          'VOID_MATCHES_PAYMENT',
          subject,
          0,
          voids.reduce((s, r) => s + num(r.t_amount), 0),
          {
            it: 'Un pagamento valido ha movimenti di annullo.',
            en: 'An authorised payment has void movements.',
          },
        );
      if (first.status === 'VOIDED') {
        const matches =
          voids.length === legs.length &&
          legs.every((leg, i) => {
            const v = voids[i];
            const legCard = parseCardAccountCode(leg.debit_code ?? '');
            const backTo = parseCardAccountCode(v?.credit_code ?? '');
            return (
              v !== undefined &&
              v.code === 'PAYMENT_VOID' &&
              v.t_amount === leg.t_amount &&
              v.debit_id === leg.credit_id &&
              legCard !== null &&
              backTo !== null &&
              backTo.campaignId === legCard.campaignId &&
              v.card_holder === first.holder &&
              v.card_comune === comuneId
            );
          });
        if (!matches)
          push(
            out,
            'VOID_MATCHES_PAYMENT',
            subject,
            legSum,
            voids.reduce((s, r) => s + num(r.t_amount), 0),
            {
              it: 'L’annullo non restituisce esattamente ogni movimento del pagamento alla carta del titolare.',
              en: "The void does not return each of the payment's movements exactly to the holder's card.",
            },
          );
      }
    }
  }

  private async shops(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const campaigns = await tx.execute<{ id: string }[]>(
      `select id from ${S}."campaign" where comune_id = ? and status <> 'DRAFT' order by id`,
      [comuneId],
    );
    const campaignIds = campaigns.map((c) => c.id);
    const accreditations = await tx.execute<{ id: string; campaign_id: string }[]>(
      `select id, campaign_id from ${S}."shop_accreditation" where campaign_id = any(?::uuid[])`,
      [arrayLiteral(campaignIds)],
    );
    const campaignOf = new Map(accreditations.map((a) => [a.id, a.campaign_id]));
    // What the campaigns' cards paid (their accounts are scoped by campaign).
    const spentMoves = await book.movementTotals(
      tx,
      { owner: { kind: 'card', scopeIds: campaignIds, accountKind: 'HOLDER' } },
      { codes: [TransferCode.PAYMENT, TransferCode.PAYMENT_VOID], by: 'scope' },
    );
    // What the campaigns' shops received, were reimbursed, and still hold.
    const shopSet = { owner: { kind: 'shop', ids: accreditations.map((a) => a.id) } };
    const shopMoves = await book.movementTotals(tx, shopSet, {
      codes: [TransferCode.PAYMENT, TransferCode.PAYMENT_VOID, TransferCode.REIMBURSEMENT],
      by: 'owner',
    });
    const shopAccounts = await book.accounts(tx, shopSet);
    const batches = new Map(
      (
        await tx.execute<{ id: string; campaign_id: string }[]>(
          `select id, campaign_id from ${S}."reimbursement_batch" where comune_id = ?`,
          [comuneId],
        )
      ).map((b) => [`reimbursement:${b.id}`, b.campaign_id]),
    );
    const rows = [];
    for (const c of campaigns) {
      const mine = (t: { ownerKey: string | null }) => campaignOf.get(t.ownerKey ?? '') === c.id;
      const sum = <T>(list: T[], f: (t: T) => number) => list.reduce((n, t) => n + f(t), 0);
      const spent = sum(
        spentMoves.filter((t) => t.ownerKey === c.id),
        (t) => (t.code === TransferCode.PAYMENT ? t.debits : -t.credits),
      );
      const moves = shopMoves.filter(mine);
      const net = sum(moves, (t) =>
        t.code === TransferCode.PAYMENT
          ? t.credits
          : t.code === TransferCode.PAYMENT_VOID
            ? -t.debits
            : 0,
      );
      const reimbursed = sum(moves, (t) => (t.code === TransferCode.REIMBURSEMENT ? t.debits : 0));
      const due = sum(
        shopAccounts.filter((a) => campaignOf.get(a.owner?.id ?? '') === c.id),
        (a) => a.posted,
      );
      // Reimbursements of this campaign's shops by batches of another campaign (or none).
      const shopIds = accreditations.filter((a) => a.campaign_id === c.id).map((a) => a.id);
      const byBatch = shopIds.length
        ? await book.movementTotals(
            tx,
            { owner: { kind: 'shop', ids: shopIds } },
            { codes: [TransferCode.REIMBURSEMENT], by: 'reference' },
          )
        : [];
      const foreign = sum(
        byBatch.filter((t) => batches.get(t.reference ?? '') !== c.id),
        (t) => t.debits,
      );
      rows.push({
        id: c.id,
        spent,
        shop_net: net,
        reimbursed,
        due,
        foreign_reimbursed: foreign,
      });
    }
    for (const r of rows) {
      const subject = `campaign:${r.id}`;
      if (num(r.spent) !== num(r.shop_net))
        push(out, 'CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS', subject, num(r.spent), num(r.shop_net), {
          it: 'Quanto pagato con le carte della misura non è quanto ricevuto dai negozi della misura.',
          en: "What the campaign's cards paid is not what the campaign's shops received.",
        });
      const settled = num(r.reimbursed) + num(r.due);
      if (num(r.shop_net) !== settled)
        push(out, 'SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE', subject, num(r.shop_net), settled, {
          it: 'Quanto ricevuto dai negozi non è rimborsato + da rimborsare.',
          en: 'What the shops received is not reimbursed + still due.',
        });
      if (num(r.foreign_reimbursed) > 0)
        push(out, 'REIMBURSEMENT_CAMPAIGN', subject, 0, num(r.foreign_reimbursed), {
          it: 'Denaro dei negozi di questa misura rimborsato da lotti di un’altra misura.',
          en: "Money of this campaign's shops reimbursed by another campaign's batches.",
        });
    }
  }

  private async batches(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    // What the REIMBURSEMENT transfers of each batch moved (from the shops' accounts into the
    // Comune's SETTLEMENT account).
    const moved = (
      await book.movementTotals(
        tx,
        { owner: { kind: 'comune', ids: [comuneId], accountKind: 'SETTLEMENT' } },
        { codes: [TransferCode.REIMBURSEMENT], referencePrefix: 'reimbursement:', by: 'reference' },
      )
    ).map((t) => ({ reference: t.reference!, cents: t.credits }));
    const rows = await tx.execute<
      {
        id: string;
        status: string;
        total: string;
        lines: string;
        payments: string;
        moved: string;
      }[]
    >(
      `select b.id, b.status, b.total_cents::text as total,
              coalesce((select sum(l.amount_cents) from ${S}."reimbursement_line" l where l.batch_id = b.id), 0)::text as lines,
              coalesce((select sum(r.amount_cents) from ${S}."reimbursement_payment" r where r.batch_id = b.id), 0)::text as payments,
              coalesce(m.cents, 0)::text as moved
         from ${S}."reimbursement_batch" b
         left join unnest(?::text[], ?::bigint[]) as m(reference, cents)
           on m.reference = 'reimbursement:' || b.id
        where b.comune_id = ?
        order by b.id`,
      [
        arrayLiteral(moved.map((m) => m.reference)),
        arrayLiteral(moved.map((m) => m.cents)),
        comuneId,
      ],
    );
    for (const r of rows) {
      const subject = `batch:${r.id}`;
      const total = num(r.total);
      // A discarded batch keeps its lines but frees its payments, and moves nothing.
      const wrong =
        num(r.lines) !== total ||
        (r.status !== 'DISCARDED' && num(r.payments) !== total) ||
        (r.status === 'DISCARDED' && num(r.payments) !== 0) ||
        num(r.moved) !== (r.status === 'PAID' ? total : 0);
      if (wrong)
        push(
          out,
          'BATCH_TOTALS',
          subject,
          total,
          r.status === 'PAID' ? num(r.moved) : num(r.payments),
          {
            it: 'Il totale del lotto non corrisponde a righe, pagamenti o bonifici registrati.',
            en: "The batch's total does not match its lines, payments or recorded transfers.",
          },
        );
    }
  }
}

function push(
  out: ReconciliationProblem[],
  check: ReconciliationCheck,
  subject: string,
  expectedCents: number | null,
  actualCents: number | null,
  message: Localized,
): void {
  out.push({ check, subject, expectedCents, actualCents, message });
}

interface ReportRow {
  id: string;
  comune_id: string;
  ran_at: Date;
  trigger: ReconciliationTrigger;
  ok: boolean;
  problems: ReconciliationProblem[];
}

const REPORT_COLUMNS = `id, comune_id, ran_at, trigger, ok, problems`;

function toReport(r: ReportRow): ReconciliationReport {
  return {
    id: r.id,
    comuneId: r.comune_id,
    ranAt: new Date(r.ran_at),
    trigger: r.trigger,
    ok: r.ok,
    problems: r.problems,
  };
}

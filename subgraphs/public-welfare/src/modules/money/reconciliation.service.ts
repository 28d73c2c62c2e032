import { randomUUID } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized } from '@welfare/kit';
import { requireComuneManager } from '../shared/access.js';
import { parseCardAccountCode } from './ledger.js';

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
    const rows = await tx.execute<
      {
        id: string;
        budget: string;
        funded: string;
        fund_posted: string | null;
        topups: string;
        sweeps: string;
        committed: string;
      }[]
    >(
      `select c.id, c.budget_cents::text as budget,
              coalesce((select sum(case when t.code = 'BUDGET' then t.amount else -t.amount end)
                          from ${S}."book_transfer" t
                         where t.code in ('BUDGET', 'BUDGET_REDUCE')
                           and f.id in (t.debit_account_id, t.credit_account_id)), 0)::text as funded,
              (f.credits_posted - f.debits_posted)::text as fund_posted,
              coalesce((select sum(t.amount) from ${S}."book_transfer" t
                         where t.debit_account_id = f.id and t.code = 'TOPUP'), 0)::text as topups,
              coalesce((select sum(t.amount) from ${S}."book_transfer" t
                         where t.credit_account_id = f.id and t.code = 'SWEEP'), 0)::text as sweeps,
              coalesce((select sum(a.amount_cents) from ${S}."application" a
                         where a.campaign_id = c.id and a.status = 'APPROVED'), 0)::text as committed
         from ${S}."campaign" c
         left join ${S}."book_account" f on f.code = 'campaign:' || c.id || ':fund'
        where c.comune_id = ? and c.status <> 'DRAFT'
        order by c.id`,
      [comuneId],
    );
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
         select substring(t.reference from 13)::uuid as application_id, sum(t.amount) as cents
           from ${S}."campaign" c
           join ${S}."book_account" f on f.code = 'campaign:' || c.id || ':fund'
           join ${S}."book_transfer" t on t.debit_account_id = f.id and t.code = 'TOPUP'
          where c.comune_id = ? and t.reference like 'application:%'
          group by 1),
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
      [comuneId, comuneId, comuneId],
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
    const rows = await tx.execute<{ card_id: string; held: string }[]>(
      `select c.id as card_id,
              sum(a.credits_posted - a.debits_posted + a.credits_pending + a.debits_pending)::text as held
         from ${S}."card" c
         join ${S}."book_account" a
           on a.kind = 'HOLDER' and split_part(a.code, ':', 1) = 'card' and split_part(a.code, ':', 2) = c.id::text
        where c.comune_id = ? and c.status = 'REPLACED'
          and (a.credits_posted <> a.debits_posted or a.credits_pending <> 0 or a.debits_pending <> 0)
        group by c.id order by c.id`,
      [comuneId],
    );
    for (const r of rows)
      push(out, 'NO_CREDIT_ON_REPLACED_CARD', `card:${r.card_id}`, 0, num(r.held), {
        it: 'Una carta sostituita ha ancora credito: doveva passare alla nuova carta.',
        en: 'A replaced card still holds credit: it should have moved to the new card.',
      });
  }

  private async payments(tx: EntityManager, comuneId: string, out: ReconciliationProblem[]) {
    const rows = await tx.execute<
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
        code: string | null;
        t_amount: string | null;
        debit_id: string | null;
        credit_id: string | null;
        debit_code: string | null;
        credit_code: string | null;
        shop_campaign: string | null;
        shop_merchant: string | null;
        card_holder: string | null;
        card_comune: string | null;
      }[]
    >(
      `select p.id, p.status, p.amount_cents::text as amount, p.card_id, pc.holder_fiscal_code_hash as holder,
              pa.merchant_id, x.kind, x.n::text as n, x.transfer_id, t.code, t.amount::text as t_amount,
              t.debit_account_id as debit_id, t.credit_account_id as credit_id,
              da.code as debit_code, ca.code as credit_code,
              sa.campaign_id as shop_campaign, sa.merchant_id as shop_merchant,
              kc.holder_fiscal_code_hash as card_holder, kc.comune_id as card_comune
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
         left join ${S}."book_transfer" t on t.id = x.transfer_id::uuid
         left join ${S}."book_account" da on da.id = t.debit_account_id
         left join ${S}."book_account" ca on ca.id = t.credit_account_id
         left join ${S}."shop_accreditation" sa
           on sa.id::text = substring(coalesce(case when x.kind = 'LEG' then ca.code else da.code end, '') from 6)
          and coalesce(case when x.kind = 'LEG' then ca.code else da.code end, '') like 'shop:%'
         left join ${S}."card" kc
           on kc.id::text = split_part(coalesce(case when x.kind = 'LEG' then da.code else ca.code end, ''), ':', 2)
          and coalesce(case when x.kind = 'LEG' then da.code else ca.code end, '') like 'card:%'
        where p.comune_id = ?
        order by p.id, x.kind, x.n`,
      [comuneId],
    );
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
    const rows = await tx.execute<
      {
        id: string;
        spent: string;
        shop_net: string;
        reimbursed: string;
        due: string;
        foreign_reimbursed: string;
      }[]
    >(
      `with camp as (
         select id from ${S}."campaign" where comune_id = ? and status <> 'DRAFT'),
       cards as (
         select a.id, split_part(a.code, ':', 4) as campaign_id
           from ${S}."book_account" a
          where a.kind = 'HOLDER' and split_part(a.code, ':', 1) = 'card'
            and split_part(a.code, ':', 4) in (select id::text from camp)),
       shops as (
         select a.id, s.campaign_id::text as campaign_id, a.credits_posted - a.debits_posted as balance
           from ${S}."shop_accreditation" s
           join ${S}."book_account" a on a.code = 'shop:' || s.id
          where s.campaign_id in (select id from camp)),
       spent as (
         select k.campaign_id, sum(case when t.code = 'PAYMENT' then t.amount else -t.amount end) as cents
           from (select c.campaign_id, t.id from cards c join ${S}."book_transfer" t
                   on t.debit_account_id = c.id and t.code = 'PAYMENT'
                 union all
                 select c.campaign_id, t.id from cards c join ${S}."book_transfer" t
                   on t.credit_account_id = c.id and t.code = 'PAYMENT_VOID') k
           join ${S}."book_transfer" t on t.id = k.id
          group by k.campaign_id),
       shop_moves as (
         select s.campaign_id,
                sum(case when t.code = 'PAYMENT' and t.credit_account_id = s.id then t.amount
                         when t.code = 'PAYMENT_VOID' and t.debit_account_id = s.id then -t.amount
                         else 0 end) as net,
                sum(case when t.code = 'REIMBURSEMENT' and t.debit_account_id = s.id then t.amount
                         else 0 end) as reimbursed,
                sum(case when t.code = 'REIMBURSEMENT' and t.debit_account_id = s.id
                          and not exists (
                            select 1 from ${S}."reimbursement_batch" b
                             where 'reimbursement:' || b.id = t.reference and b.campaign_id::text = s.campaign_id)
                         then t.amount else 0 end) as foreign_reimbursed
           from shops s
           join ${S}."book_transfer" t on s.id in (t.debit_account_id, t.credit_account_id)
          group by s.campaign_id),
       due as (select campaign_id, sum(balance) as cents from shops group by campaign_id)
       select c.id, coalesce(spent.cents, 0)::text as spent, coalesce(m.net, 0)::text as shop_net,
              coalesce(m.reimbursed, 0)::text as reimbursed, coalesce(due.cents, 0)::text as due,
              coalesce(m.foreign_reimbursed, 0)::text as foreign_reimbursed
         from camp c
         left join spent on spent.campaign_id = c.id::text
         left join shop_moves m on m.campaign_id = c.id::text
         left join due on due.campaign_id = c.id::text
        order by c.id`,
      [comuneId],
    );
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
              coalesce((select sum(t.amount) from ${S}."book_transfer" t
                         where t.code = 'REIMBURSEMENT' and t.reference = 'reimbursement:' || b.id), 0)::text as moved
         from ${S}."reimbursement_batch" b
        where b.comune_id = ?
        order by b.id`,
      [comuneId],
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

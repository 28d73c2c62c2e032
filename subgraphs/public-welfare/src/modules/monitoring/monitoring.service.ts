import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { Campaign } from '../campaign/campaign.entity.js';
import { accountCodes } from '../money/ledger.js';
import { isComuneStaff, isUuid } from '../shared/access.js';

/** The longest by-day series, in days. */
export const MAX_PERIOD_DAYS = 366;

export interface DashboardPeriod {
  /** First day, YYYY-MM-DD. */
  from?: string | null;
  /** Last day, YYYY-MM-DD. */
  to?: string | null;
}

export interface DashboardShop {
  accreditationId: string;
  merchantId: string;
  businessName: string;
  status: string;
  payments: number;
  amountCents: number;
}

export interface DashboardCategory {
  category: string;
  payments: number;
  amountCents: number;
}

export interface DashboardDay {
  date: string;
  payments: number;
  amountCents: number;
  creditedCents: number;
  returnedCents: number;
}

/** A campaign's monitoring figures, all read in one snapshot of the book. */
export interface CampaignDashboard {
  campaignId: string;
  comuneId: string;
  campaignTitle: string;
  spendingFrom: string;
  spendingUntil: string;
  generatedAt: Date;
  budgetCents: number;
  committedCents: number;
  approvedApplications: number;
  creditedCents: number;
  spentCents: number;
  returnedCents: number;
  unspentCents: number;
  beneficiariesCredited: number;
  cardsWithCredit: number;
  beneficiariesWithCredit: number;
  payments: number;
  voidedPayments: number;
  byShop: DashboardShop[];
  byCategory: DashboardCategory[];
  periodFrom: string | null;
  periodTo: string | null;
  byDay: DashboardDay[];
}

const S = '"public_welfare"';
const POSTED = `t.status = 'POSTED' and t.expires_at is null`;

/**
 * The campaign's card accounts (`card:<cardId>:campaign:<id>`, bound as the first parameter) and
 * every posted movement on them, signed from the cards' side (+ credit arrives, − it leaves). A
 * CARD_REPLACED transfer moves credit between two of these accounts: it appears twice and nets 0.
 */
const MOVES = `
  acc as (
    select a.id, a.code, a.credits_posted, a.debits_posted
      from ${S}."book_account" a
     where a.kind = 'HOLDER' and a.code like ?
  ),
  moves as (
    select t.code, t.amount as signed, t.created_at
      from ${S}."book_transfer" t join acc on acc.id = t.credit_account_id where ${POSTED}
    union all
    select t.code, -t.amount, t.created_at
      from ${S}."book_transfer" t join acc on acc.id = t.debit_account_id where ${POSTED}
  )`;

/**
 * The payment legs that spent the campaign's credit (PAYMENT: card → shop) or gave it back (the
 * shop's same-day PAYMENT_VOID: shop → card), signed as spending, with the shop's accreditation
 * (from the shop account's code) and the payment row (from the transfer's `payment:<id>` reference).
 */
const LEGS = `${MOVES},
  legs as (
    select l.signed, l.code, l.created_at, s.id as accreditation_id, p.id as payment_id,
           p.status as payment_status, p.category
      from (
        select t.amount as signed, t.code, t.created_at, t.credit_account_id as shop_account_id, t.reference
          from ${S}."book_transfer" t join acc on acc.id = t.debit_account_id
         where ${POSTED} and t.code = 'PAYMENT'
        union all
        select -t.amount, t.code, t.created_at, t.debit_account_id, t.reference
          from ${S}."book_transfer" t join acc on acc.id = t.credit_account_id
         where ${POSTED} and t.code = 'PAYMENT_VOID'
      ) l
      join ${S}."book_account" sa on sa.id = l.shop_account_id
      left join ${S}."shop_accreditation" s on sa.code = 'shop:' || s.id::text
      left join ${S}."payment" p
        on p.id = case when l.reference ~ '^payment:[0-9a-f-]{36}$' then substr(l.reference, 9)::uuid end
  )`;

const notFound = () =>
  DomainError.notFound({ it: 'Campagna non trovata.', en: 'Campaign not found.' });

const DAY_MS = 86_400_000;

/** A valid calendar day `YYYY-MM-DD`, or null. */
function day(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value ? value : null;
}

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** Validates the period: bad dates, from after to, or a span over MAX_PERIOD_DAYS are refused. */
function checkPeriod(period: DashboardPeriod | null | undefined): {
  from: string | null;
  to: string | null;
} {
  const errors = new FieldErrors();
  const given = (v: string | null | undefined) => v !== undefined && v !== null && v !== '';
  const from = day(period?.from);
  const to = day(period?.to);
  if (given(period?.from) && !from)
    errors.add(
      'period.from',
      'Una data valida nel formato AAAA-MM-GG.',
      'A valid date as YYYY-MM-DD.',
    );
  if (given(period?.to) && !to)
    errors.add(
      'period.to',
      'Una data valida nel formato AAAA-MM-GG.',
      'A valid date as YYYY-MM-DD.',
    );
  if (from && to && from > to)
    errors.add(
      'period.to',
      'La data finale non può precedere quella iniziale.',
      'The last day cannot come before the first.',
    );
  else if (from && to && daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
    errors.add(
      'period.to',
      `Un periodo di al massimo ${MAX_PERIOD_DAYS} giorni.`,
      `A period of at most ${MAX_PERIOD_DAYS} days.`,
    );
  errors.throwIfAny();
  return { from, to };
}

/**
 * The live monitoring dashboard of a campaign, for the staff of its Comune. Every figure comes from
 * a few aggregate queries over the book (the campaign's card accounts and their transfers), the
 * payment rows and the approved applications, run in one read-only REPEATABLE READ transaction, so
 * the figures reconcile even while payments go on: credited − spent − returned = unspent.
 */
export class MonitoringService {
  async dashboard(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    period?: DashboardPeriod | null,
  ): Promise<CampaignDashboard> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const id = campaignId.toLowerCase();
    const campaign = await em.findOne(Campaign, { id });
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound();
    const wanted = checkPeriod(period);
    const cards = accountCodes.card('%', id);

    return em.fork().transactional(
      async (tx) => {
        const run = <T>(sql: string, params: unknown[]) => tx.execute<T[]>(sql, params);
        const [summary] = await run<{
          credited: string;
          spent: string;
          returned: string;
          unspent: string;
          first_day: string | null;
          last_day: string | null;
          beneficiaries_credited: string;
          cards_with_credit: string;
          beneficiaries_with_credit: string;
          committed: string;
          approved: string;
          generated_at: Date;
        }>(
          `with ${MOVES},
           totals as (
             select coalesce(sum(signed) filter (where code not in ('PAYMENT', 'PAYMENT_VOID', 'SWEEP')), 0) as credited,
                    coalesce(-sum(signed) filter (where code in ('PAYMENT', 'PAYMENT_VOID')), 0) as spent,
                    coalesce(-sum(signed) filter (where code = 'SWEEP'), 0) as returned,
                    to_char(min((created_at at time zone 'Europe/Rome')::date), 'YYYY-MM-DD') as first_day,
                    to_char(max((created_at at time zone 'Europe/Rome')::date), 'YYYY-MM-DD') as last_day
               from moves
           ),
           holders as (
             select c.holder_fiscal_code_hash as holder, acc.credits_posted - acc.debits_posted as posted
               from acc join ${S}."card" c on c.id = split_part(acc.code, ':', 2)::uuid
              where acc.credits_posted > 0
           ),
           approved as (
             select coalesce(sum(amount_cents), 0) as committed, count(*) as n
               from ${S}."application" where campaign_id = ? and status = 'APPROVED'
           )
           select totals.credited::text, totals.spent::text, totals.returned::text,
                  totals.first_day, totals.last_day,
                  (select coalesce(sum(credits_posted - debits_posted), 0) from acc)::text as unspent,
                  (select count(distinct holder) from holders)::text as beneficiaries_credited,
                  (select count(*) from acc where credits_posted - debits_posted > 0)::text as cards_with_credit,
                  (select count(distinct holder) from holders where posted > 0)::text as beneficiaries_with_credit,
                  approved.committed::text as committed, approved.n::text as approved,
                  now() as generated_at
             from totals, approved`,
          [cards, id],
        );

        const [counts] = await run<{ payments: string; voided: string }>(
          `with ${LEGS}
           select count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'AUTHORISED')::text as payments,
                  count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'VOIDED')::text as voided
             from legs`,
          [cards],
        );

        const shops = await run<{
          accreditation_id: string;
          merchant_id: string;
          business_name: string;
          status: string;
          payments: string;
          amount: string;
        }>(
          `with ${LEGS},
           per_shop as (
             select accreditation_id,
                    count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'AUTHORISED') as payments,
                    sum(signed) as amount
               from legs group by accreditation_id
           )
           select s.id as accreditation_id, s.merchant_id, s.business_name, s.status,
                  coalesce(ps.payments, 0)::text as payments, coalesce(ps.amount, 0)::text as amount
             from ${S}."shop_accreditation" s
             left join per_shop ps on ps.accreditation_id = s.id
            where s.campaign_id = ? and (s.status = 'ACCREDITED' or ps.accreditation_id is not null)
            order by coalesce(ps.amount, 0) desc, s.business_name, s.id`,
          [cards, id],
        );

        const categories = await run<{ category: string; payments: string; amount: string }>(
          `with ${LEGS}
           select category,
                  count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'AUTHORISED')::text as payments,
                  sum(signed)::text as amount
             from legs where category is not null
            group by category
           having count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'AUTHORISED') > 0
               or sum(signed) <> 0
            order by sum(signed) desc, category`,
          [cards],
        );

        // The by-day period: the days asked for, or those with movements (the last MAX_PERIOD_DAYS).
        let from = wanted.from;
        let to = wanted.to;
        if (!from || !to) {
          const first = summary?.first_day ?? null;
          const last = summary?.last_day ?? null;
          if (!from && !to) {
            from = first;
            to = last;
            if (from && to && daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
              from = addDays(to, 1 - MAX_PERIOD_DAYS);
          } else if (from) {
            to = last && last > from ? last : from;
            if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
              to = addDays(from, MAX_PERIOD_DAYS - 1);
          } else {
            from = first && first < to! ? first : to;
            if (daysBetween(from!, to!) + 1 > MAX_PERIOD_DAYS)
              from = addDays(to!, 1 - MAX_PERIOD_DAYS);
          }
        }

        const days =
          from && to
            ? await run<{
                date: string;
                payments: string;
                amount: string;
                credited: string;
                returned: string;
              }>(
                `with ${LEGS},
                 spent as (
                   select (created_at at time zone 'Europe/Rome')::date as d,
                          count(distinct payment_id) filter (where code = 'PAYMENT' and payment_status = 'AUTHORISED') as payments,
                          sum(signed) as amount
                     from legs
                    where created_at >= (?::date)::timestamp at time zone 'Europe/Rome'
                      and created_at < (?::date + 1)::timestamp at time zone 'Europe/Rome'
                    group by 1
                 ),
                 flows as (
                   select (created_at at time zone 'Europe/Rome')::date as d,
                          sum(signed) filter (where code not in ('PAYMENT', 'PAYMENT_VOID', 'SWEEP')) as credited,
                          -sum(signed) filter (where code = 'SWEEP') as returned
                     from moves
                    where created_at >= (?::date)::timestamp at time zone 'Europe/Rome'
                      and created_at < (?::date + 1)::timestamp at time zone 'Europe/Rome'
                    group by 1
                 )
                 select to_char(g.d, 'YYYY-MM-DD') as date,
                        coalesce(spent.payments, 0)::text as payments,
                        coalesce(spent.amount, 0)::text as amount,
                        coalesce(flows.credited, 0)::text as credited,
                        coalesce(flows.returned, 0)::text as returned
                   from generate_series(?::date, ?::date, interval '1 day') as g(d)
                   left join spent on spent.d = g.d::date
                   left join flows on flows.d = g.d::date
                  order by g.d`,
                [cards, from, to, from, to, from, to],
              )
            : [];

        return {
          campaignId: campaign.id,
          comuneId: campaign.comuneId,
          campaignTitle: campaign.title,
          spendingFrom: campaign.spendingFrom,
          spendingUntil: campaign.spendingUntil,
          generatedAt: new Date(summary!.generated_at),
          budgetCents: campaign.budgetCents,
          committedCents: Number(summary!.committed),
          approvedApplications: Number(summary!.approved),
          creditedCents: Number(summary!.credited),
          spentCents: Number(summary!.spent),
          returnedCents: Number(summary!.returned),
          unspentCents: Number(summary!.unspent),
          beneficiariesCredited: Number(summary!.beneficiaries_credited),
          cardsWithCredit: Number(summary!.cards_with_credit),
          beneficiariesWithCredit: Number(summary!.beneficiaries_with_credit),
          payments: Number(counts?.payments ?? 0),
          voidedPayments: Number(counts?.voided ?? 0),
          byShop: shops.map((s) => ({
            accreditationId: s.accreditation_id,
            merchantId: s.merchant_id,
            businessName: s.business_name,
            status: s.status,
            payments: Number(s.payments),
            amountCents: Number(s.amount),
          })),
          byCategory: categories.map((c) => ({
            category: c.category,
            payments: Number(c.payments),
            amountCents: Number(c.amount),
          })),
          periodFrom: days.length ? from : null,
          periodTo: days.length ? to : null,
          byDay: days.map((d) => ({
            date: d.date,
            payments: Number(d.payments),
            amountCents: Number(d.amount),
            creditedCents: Number(d.credited),
            returnedCents: Number(d.returned),
          })),
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }
}

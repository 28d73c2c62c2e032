import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { Campaign } from '../campaign/campaign.entity.js';
import { TransferCode, book } from '../ledger/ledger.js';
import { isComuneStaff, isUuid } from '@welfare/kit/access';
import { campaignPeople, campaignShops, paymentsByIds } from './monitoring.repository.js';
import { fundingReport, type FundingReportLine } from '../funding/funding.service.js';
import type { FundingAllocation } from '../funding/funding.js';
import { fundingAllocationOf, fundingSourcesOf } from '../funding/funding.repository.js';

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
  /** Spent on catalogue services through checkouts (the fund contract): captured, less refunds. */
  servicesCents: number;
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
  /** By funding source: the figures split as `sourceAllocation` says (none declared: empty). */
  bySource: FundingReportLine[];
  /** How `bySource` splits the figures among the sources. */
  sourceAllocation: FundingAllocation;
}

const ZONE = 'Europe/Rome';

/** The codes of the payment legs: spending (card → shop) and its same-day void (shop → card). */
const LEG_CODES: string[] = [TransferCode.PAYMENT, TransferCode.PAYMENT_VOID];
/** The codes of catalogue services paid through checkouts (card → provider, and refunds back). */
const SERVICE_CODES: string[] = [TransferCode.SERVICE_PAYMENT, TransferCode.SERVICE_REFUND];
/** Codes that are not credit given to the cards (everything else, e.g. TOPUP, is). */
const NOT_CREDIT = new Set<string>([...LEG_CODES, ...SERVICE_CODES, TransferCode.SWEEP]);

/** A payment id from a leg's reference (`payment:<id>`), or null. */
function paymentOf(reference: string | null): string | null {
  const m = reference === null ? null : /^payment:([0-9a-f-]{36})$/.exec(reference);
  return m && isUuid(m[1]!) ? m[1]! : null;
}

/** `-x` without a negative zero. */
const minus = (x: number) => (x === 0 ? 0 : -x);

/** A leg of a payment: spending from the campaign's cards, signed as spending. */
interface Leg {
  signed: number;
  code: string;
  day: string;
  accreditationId: string | null;
  paymentId: string | null;
  paymentStatus: string | null;
  category: string | null;
}

/** Payments counted once each: those of PAYMENT legs of AUTHORISED (or VOIDED) payments. */
function paymentsOf(legs: readonly Leg[], status: 'AUTHORISED' | 'VOIDED'): number {
  const ids = new Set<string>();
  for (const l of legs)
    if (l.code === TransferCode.PAYMENT && l.paymentStatus === status && l.paymentId)
      ids.add(l.paymentId);
  return ids.size;
}

/** Legs summed by a key: their AUTHORISED payments and their amount. */
function perKey(legs: readonly Leg[], key: (l: Leg) => string | null) {
  const groups = new Map<string, { legs: Leg[]; amount: number }>();
  for (const l of legs) {
    const k = key(l);
    if (k === null) continue;
    const g = groups.get(k) ?? { legs: [], amount: 0 };
    g.legs.push(l);
    g.amount += l.signed;
    groups.set(k, g);
  }
  return [...groups].map(([k, g]) => ({
    key: k,
    payments: paymentsOf(g.legs, 'AUTHORISED'),
    amount: g.amount,
  }));
}

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

/** The campaign's card accounts, by their owner columns (a set of the book). */
const cardsOf = (campaignId: string) => ({
  owner: { kind: 'card', scopeIds: [campaignId], accountKind: 'HOLDER' },
});

/** What the campaign's cards received and gave back, in total and by day (in Italy). */
interface Flows {
  credited: number;
  spent: number;
  services: number;
  returned: number;
  byDay: Map<string, { credited: number; returned: number }>;
  firstDay: string | null;
  lastDay: string | null;
}

/**
 * The live monitoring dashboard of a campaign, for the staff of its Comune. Every figure comes from
 * the book's API (the campaign's card accounts by owner and scope: their balances, and their
 * posted movements grouped by code and day, and by shop, payment and day for the payment legs),
 * then the domain tables by id (the cards' holders, the legs' payments, the shops, the approved
 * applications), all read in one snapshot (`book.snapshot`: a read-only REPEATABLE READ
 * transaction), so the figures reconcile even while payments go on: credited − spent − services −
 * returned = unspent.
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
    return book.snapshot(em.fork(), async (tx) => {
      const flows = await cardFlows(tx, id);
      // Each card's balance in the campaign, then its holder (cards that were ever credited).
      const perCard = await book.ownerTotals(tx, cardsOf(id).owner);
      const unspent = perCard.reduce((sum, c) => sum + c.posted, 0);
      const creditedCards = perCard.filter((c) => c.creditsPosted > 0 && isUuid(c.ownerId ?? ''));
      const people = await campaignPeople(
        tx,
        id,
        creditedCards.map((c) => ({ cardId: c.ownerId!, posted: c.posted })),
      );
      const legs = await paymentLegs(tx, id);
      const shops = await campaignShops(
        tx,
        id,
        perKey(legs, (l) => l.accreditationId),
      );
      const categories = perKey(legs, (l) => l.category)
        .filter((c) => c.payments > 0 || c.amount !== 0)
        .sort((a, b) => b.amount - a.amount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const { from, to } = dayPeriod(wanted, flows.firstDay, flows.lastDay);
      const days = from && to ? dayRows(from, to, legs, flows) : [];
      const sources = await fundingSourcesOf(tx, id);
      const sourceAllocation = await fundingAllocationOf(tx, id);
      const committedCents = Number(people.committed);
      return {
        campaignId: campaign.id,
        comuneId: campaign.comuneId,
        campaignTitle: campaign.title,
        spendingFrom: campaign.spendingFrom,
        spendingUntil: campaign.spendingUntil,
        generatedAt: new Date(people.generated_at),
        budgetCents: campaign.budgetCents,
        committedCents,
        approvedApplications: Number(people.approved),
        creditedCents: flows.credited,
        spentCents: flows.spent,
        servicesCents: flows.services,
        returnedCents: flows.returned,
        unspentCents: unspent,
        beneficiariesCredited: Number(people.beneficiaries_credited),
        cardsWithCredit: perCard.filter((c) => c.posted > 0).length,
        beneficiariesWithCredit: Number(people.beneficiaries_with_credit),
        payments: paymentsOf(legs, 'AUTHORISED'),
        voidedPayments: paymentsOf(legs, 'VOIDED'),
        byShop: shops.map((s) => ({
          accreditationId: s.accreditation_id,
          merchantId: s.merchant_id,
          businessName: s.business_name,
          status: s.status,
          payments: Number(s.payments),
          amountCents: Number(s.amount),
        })),
        byCategory: categories.map((c) => ({
          category: c.key,
          payments: c.payments,
          amountCents: c.amount,
        })),
        periodFrom: days.length ? from : null,
        periodTo: days.length ? to : null,
        byDay: days,
        bySource: fundingReport(
          sources,
          {
            budgetCents: campaign.budgetCents,
            committedCents,
            creditedCents: flows.credited,
            spentCents: flows.spent + flows.services,
            returnedCents: flows.returned,
          },
          sourceAllocation,
        ),
        sourceAllocation,
      };
    });
  }
}

/**
 * Every posted movement of the campaign's cards by code and day (in Italy): what was credited,
 * spent at shops, spent on services and returned. A CARD_REPLACED transfer between two of them nets 0.
 */
async function cardFlows(tx: EntityManager, campaignId: string): Promise<Flows> {
  const moves = await book.movementGroups(tx, cardsOf(campaignId), {
    by: ['code', 'day'],
    timeZone: ZONE,
  });
  let credited = 0;
  let spent = 0;
  let services = 0;
  let returned = 0;
  const byDay = new Map<string, { credited: number; returned: number }>();
  for (const m of moves) {
    const flow = byDay.get(m.day!) ?? { credited: 0, returned: 0 };
    if (m.code !== null && !NOT_CREDIT.has(m.code)) {
      credited += m.net;
      flow.credited += m.net;
    } else if (m.code !== null && LEG_CODES.includes(m.code)) spent -= m.net;
    else if (m.code !== null && SERVICE_CODES.includes(m.code)) services -= m.net;
    else if (m.code === TransferCode.SWEEP) {
      returned -= m.net;
      flow.returned -= m.net;
    }
    byDay.set(m.day!, flow);
  }
  const movedDays = moves.map((m) => m.day!).sort();
  const firstDay = movedDays[0] ?? null;
  const lastDay = movedDays[movedDays.length - 1] ?? null;
  return { credited, spent, services, returned, byDay, firstDay, lastDay };
}

/**
 * The payment legs that spent the campaign's credit (PAYMENT: card → shop) or gave it back
 * (PAYMENT_VOID: shop → card), by shop (the counterparty's owner), payment (the reference) and
 * day; then the payments' status and category, by id.
 */
async function paymentLegs(tx: EntityManager, campaignId: string): Promise<Leg[]> {
  const groups = await book.movementGroups(tx, cardsOf(campaignId), {
    by: ['counterpartyOwner', 'code', 'reference', 'day'],
    codes: LEG_CODES,
    timeZone: ZONE,
  });
  const paymentIds = [
    ...new Set(groups.map((g) => paymentOf(g.reference)).filter((p) => p !== null)),
  ];
  const paymentById = new Map((await paymentsByIds(tx, paymentIds)).map((p) => [p.id, p]));
  return groups.map((g) => {
    const paymentId = paymentOf(g.reference);
    const payment = paymentId ? paymentById.get(paymentId) : undefined;
    const owner = g.counterpartyOwner;
    return {
      // Spending: what left the cards by PAYMENT, less what came back by PAYMENT_VOID.
      signed: g.code === TransferCode.PAYMENT ? g.debits : minus(g.credits),
      code: g.code!,
      day: g.day!,
      accreditationId: owner?.kind === 'shop' && isUuid(owner.id) ? owner.id : null,
      paymentId: payment ? payment.id : null,
      paymentStatus: payment?.status ?? null,
      category: payment?.category ?? null,
    };
  });
}

/**
 * The by-day period: the days asked for, or those with movements (the last MAX_PERIOD_DAYS); one
 * end given, the other from the movements, within MAX_PERIOD_DAYS.
 */
function dayPeriod(
  wanted: { from: string | null; to: string | null },
  firstDay: string | null,
  lastDay: string | null,
): { from: string | null; to: string | null } {
  let { from, to } = wanted;
  if (from && to) return { from, to };
  if (!from && !to) {
    from = firstDay;
    to = lastDay;
    if (from && to && daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
      from = addDays(to, 1 - MAX_PERIOD_DAYS);
  } else if (from) {
    to = lastDay && lastDay > from ? lastDay : from;
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) to = addDays(from, MAX_PERIOD_DAYS - 1);
  } else {
    from = firstDay && firstDay < to! ? firstDay : to;
    if (daysBetween(from!, to!) + 1 > MAX_PERIOD_DAYS) from = addDays(to!, 1 - MAX_PERIOD_DAYS);
  }
  return { from, to };
}

/** One row per day of the period: the spending, and what was credited and returned. */
function dayRows(from: string, to: string, legs: readonly Leg[], flows: Flows): DashboardDay[] {
  const days: DashboardDay[] = [];
  const spentByDay = new Map(perKey(legs, (l) => l.day).map((d) => [d.key, d]));
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const spending = spentByDay.get(d);
    const flow = flows.byDay.get(d);
    days.push({
      date: d,
      payments: spending?.payments ?? 0,
      amountCents: spending?.amount ?? 0,
      creditedCents: flow?.credited ?? 0,
      returnedCents: flow?.returned ?? 0,
    });
  }
  return days;
}

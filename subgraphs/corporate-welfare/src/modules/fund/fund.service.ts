import type { EntityManager } from '@mikro-orm/postgresql';
import {
  FundLegBook,
  type FundLeg,
  type FundOffer,
  type FundOption,
  type FundPerson,
  type HoldRequest,
  type QuoteRequest,
  type QuoteResponse,
  type RefundRequest,
} from '@welfare/kit/contracts';
import { romeDay } from '@welfare/kit/dates';
import { normaliseFiscalCode } from '@welfare/kit/pii';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import { refusals } from './fund-refusals.js';
import { plansHeldBy, type HeldPlan } from './fund.repository.js';

/** The book's transfer ids of a leg's operations: the same leg always names the same transfers. */
const legTransferIds = {
  hold: (legId: string) => deterministicId('fund-hold', legId),
  capture: (legId: string) => deterministicId('fund-capture', legId),
  release: (legId: string) => deterministicId('fund-release', legId),
  refund: (refundId: string) => deterministicId('fund-refund', refundId),
};

/** The start of the references of a leg's transfers (`fund-leg:<legId>;...`). */
const legPrefix = (legId: string) => `fund-leg:${legId};`;

/** A leg's transfers in the subgraph's book. */
const legs = new FundLegBook({
  book,
  ids: legTransferIds,
  legPrefix,
  codes: { payment: TransferCode.SERVICE_PAYMENT, refund: TransferCode.SERVICE_REFUND },
  lockScope: 'cw-fund-leg',
  refusals,
});

/**
 * Corporate-welfare as a fund owner (the fund contract of `@welfare/kit/contracts`, called by the
 * payments subgraph only): an employee's credit in an employer's welfare plan pays catalogue
 * services in kind (art. 51 c.2 f TUIR). The rule: the person (by codice fiscale: none, no plan)
 * is an employee in force today of the plan's employer and holds credit in the plan; the plan is
 * ACTIVE, its purposes include SERVICES_IN_KIND, its `coveredCategories` the offer's category, and
 * today (Italian day) is within its validity; the provider is accredited. One option per plan.
 *
 * Money moves in the subgraph's book: a hold is a pending transfer (code SERVICE_PAYMENT) from the
 * employee's account (`plan:<p>:employee:<emp>`) to the provider's (`plan:<p>:provider:<org>`,
 * hot: what the employer owes the provider), its id derived from the leg id; the capture posts
 * it, the release voids it, a lapsed hold expires; a refund (SERVICE_REFUND) goes back from the
 * provider's account to the employee's. The book's CHECK keeps an employee's credit from going
 * below zero, whatever runs at once. Hold expiries run on the book's clock (the system's); `now`
 * is the clock of the plans' validity.
 */
export class FundService {
  constructor(private readonly now: () => Date = () => new Date()) {}

  /** What the person can spend on the offer: one option per plan that covers it. No effect. */
  async quote(em: EntityManager, request: QuoteRequest): Promise<QuoteResponse> {
    await legs.expireLapsed(em);
    const plans = await this.coverage(em, request.person, request.offer);
    const options: FundOption[] = plans.map(({ plan, availableCents }) => ({
      fundId: plan.id,
      kind: 'EMPLOYER',
      label: { it: plan.name, en: plan.name },
      balanceCents: availableCents,
      spendableCents: Math.min(availableCents, request.amountCents),
      // Restricted: plan credit pays services in kind, reimbursements and the like, never cash.
      restricted: true,
      endsOn: plan.validUntil,
      rule: {
        categoryCovered: true,
        providerAccredited: true,
        spendFrom: plan.validFrom,
        spendUntil: plan.validUntil,
      },
    }));
    return { options };
  }

  /**
   * Holds `amountCents` of the employee's credit in the plan for the leg until `expiresAt` (capped
   * at the book's MAX_HOLD_SECONDS, 30 days). The same leg again answers its hold as it is now
   * (whatever changed since); with other terms it is a LEG_CONFLICT.
   */
  hold(em: EntityManager, request: HoldRequest): Promise<FundLeg> {
    const terms = legs.terms(request);
    const providerId = request.offer.providerId.toLowerCase();
    return legs.hold(em, request, {
      terms,
      cover: async () => {
        const plans = await this.coverage(em, request.person, request.offer);
        const held = plans.find((p) => p.plan.id === request.fundId.toLowerCase());
        if (!held) throw refusals.notCovered();
        return held;
      },
      place: async (tx, held, holdId, timeoutSeconds) => {
        const [from] = await book.accounts(tx, { codes: [held.accountCode] });
        if (!from) throw refusals.notCovered();
        const to = await book.openAccountId(tx, {
          code: accountCodes.provider(held.plan.id, providerId),
          kind: AccountKind.PROVIDER,
          owner: owners.provider(providerId, held.plan.id),
          hot: true,
        });
        return book.hold(tx, {
          id: holdId,
          debit: from.id,
          credit: to,
          amount: request.amountCents,
          code: TransferCode.SERVICE_PAYMENT,
          reference: terms,
          timeoutSeconds,
        });
      },
    });
  }

  /** Posts the leg's hold: the money reaches the provider's account. Idempotent. */
  capture(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.capture(em, legId);
  }

  /**
   * Voids the leg's hold: the money is the employee's again. Idempotent; a leg never held answers
   * UNKNOWN and a lapsed one EXPIRED (nothing is held either way); a captured leg is refused
   * (HOLD_NOT_PENDING: refund it instead).
   */
  release(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.release(em, legId);
  }

  /**
   * Gives back `amountCents` of a captured leg to the employee's credit in the plan, idempotent by
   * `refundId`. A leg's refunds are serialised (a lock per leg) and together never exceed the
   * captured amount (REFUND_EXCEEDS_CAPTURE); the same refund id with another leg or amount is a
   * LEG_CONFLICT; INSUFFICIENT_FUNDS when the provider's account no longer holds it.
   */
  refund(em: EntityManager, request: RefundRequest): Promise<FundLeg> {
    return legs.refund(em, request);
  }

  /** The leg as the book has it (UNKNOWN when it was never held). */
  leg(em: EntityManager, legId: string): Promise<FundLeg> {
    return legs.leg(em, legId);
  }

  /**
   * The plans whose credit the person holds that cover the offer today: none when the provider is
   * not accredited or the person has no codice fiscale.
   */
  private async coverage(
    em: EntityManager,
    person: FundPerson,
    offer: FundOffer,
  ): Promise<HeldPlan[]> {
    if (!offer.providerAccredited || !person.fiscalCode) return [];
    const plans = await plansHeldBy(
      em,
      normaliseFiscalCode(person.fiscalCode),
      romeDay(this.now()),
    );
    return plans.filter((p) => p.plan.coveredCategories.includes(offer.category));
  }
}

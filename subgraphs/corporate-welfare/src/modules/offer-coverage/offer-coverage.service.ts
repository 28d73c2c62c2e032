import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { romeDay } from '@welfare/kit/dates';
import { normaliseFiscalCode } from '@welfare/kit/pii';
import { plansHeldBy, type HeldPlan } from '../fund/fund.repository.js';
import type { WelfarePlanCoverageType } from './offer-coverage.type.js';

/**
 * Which of the caller's welfare plans can pay for a catalogue offer: the same rule as the fund
 * contract's quote (so the badge and the checkout agree): the caller (a person logged in with a
 * codice fiscale) is an employee in force today, holds credit in an ACTIVE plan of their employer
 * that pays services in kind, valid today, whose `coveredCategories` include the offer's
 * category. Nobody else's plans are ever considered: an anonymous caller, or one without a codice
 * fiscale, has none.
 */
export class OfferCoverageService {
  /** The caller's plans, once per request (the key is the request's context object). */
  private readonly perRequest = new WeakMap<object, Promise<HeldPlan[]>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async coveringPlans(
    em: EntityManager,
    request: object,
    caller: Caller,
    category: string,
  ): Promise<WelfarePlanCoverageType[]> {
    if (caller.kind !== 'person' || !caller.fiscalCode) return [];
    let plans = this.perRequest.get(request);
    if (!plans) {
      plans = plansHeldBy(em, normaliseFiscalCode(caller.fiscalCode), romeDay(this.now()));
      this.perRequest.set(request, plans);
    }
    return (await plans)
      .filter((p) => p.plan.coveredCategories.includes(category))
      .map((p) => ({
        planId: p.plan.id,
        planName: p.plan.name,
        validUntil: p.plan.validUntil,
        availableCents: p.availableCents,
      }));
  }
}

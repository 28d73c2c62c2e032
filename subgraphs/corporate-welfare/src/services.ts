import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { FundingRepository } from './modules/funding/funding.repository.js';
import { FundingService } from './modules/funding/funding.service.js';
import { PlanEndService } from './modules/plan-end/plan-end.service.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
  // cw-plans
  /** Largest plan regulation, in bytes (default 5 MB). */
  maxRegulationBytes?: number;
  /** The clock of plans, funding and plan ends (tests set it). */
  now?: () => Date;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  // cw-plans: plans, their funding and their end.
  const now = settings.now ?? (() => new Date());
  const planRepository = new PlanRepository();
  const plans = new PlanService(planRepository, {
    maxRegulationBytes: settings.maxRegulationBytes ?? 5 * 1024 * 1024,
    now,
  });
  const funding = new FundingService(new FundingRepository(), planRepository, plans, now);
  const planEnd = new PlanEndService(planRepository, plans, now);
  return { legalFigures, plans, funding, planEnd };
}

export type Services = ReturnType<typeof createServices>;

import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { BonusRepository } from './modules/bonus/bonus.repository.js';
import { BonusService } from './modules/bonus/bonus.service.js';
import { EmployeeRepository } from './modules/employee/employee.repository.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  const plans = new PlanService(new PlanRepository());
  // Performance bonus conversion.
  const bonuses = new BonusService(new BonusRepository(), new EmployeeRepository(), legalFigures);
  return { legalFigures, plans, bonuses };
}

export type Services = ReturnType<typeof createServices>;

import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';
// cw-employee: the fringe-benefit cap and the employee's view.
import { EmployeeRepository } from './modules/employee/employee.repository.js';
import { FringeRepository } from './modules/fringe/fringe.repository.js';
import { FringeService } from './modules/fringe/fringe.service.js';
import { MyCreditRepository } from './modules/my-credit/my-credit.repository.js';
import { MyCreditService } from './modules/my-credit/my-credit.service.js';
import { DashboardService } from './modules/dashboard/dashboard.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  const plans = new PlanService(new PlanRepository());
  // cw-employee: the fringe-benefit cap (other modules call `fringe` before moving fringe benefits)
  // the employee's view of their plans and the employer's dashboard.
  const fringe = new FringeService(new FringeRepository(), legalFigures, settings.now);
  const myCredit = new MyCreditService(new MyCreditRepository(), new EmployeeRepository(), fringe);
  const dashboard = new DashboardService(fringe);
  return { legalFigures, plans, fringe, myCredit, dashboard };
}

export type Services = ReturnType<typeof createServices>;

import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';
// cw-enrolment
import { EmployeeRepository } from './modules/employee/employee.repository.js';
import { EmployeeService } from './modules/employee/employee.service.js';
import { EnrolmentService } from './modules/enrolment/enrolment.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  const plans = new PlanService(new PlanRepository());
  // cw-enrolment
  const enrolment = new EnrolmentService();
  const employees = new EmployeeService(new EmployeeRepository());
  return { legalFigures, plans, enrolment, employees };
}

export type Services = ReturnType<typeof createServices>;

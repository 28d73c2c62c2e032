import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';
// cw-claims
import { EmployeeRepository } from './modules/employee/employee.repository.js';
import { ClaimRepository } from './modules/claim/claim.repository.js';
import { ClaimService } from './modules/claim/claim.service.js';
import { PayrollService } from './modules/payroll/payroll.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
  // cw-claims
  /** The largest receipt of a reimbursement claim, in bytes (default 5 MB). */
  maxReceiptBytes?: number;
  /** The clock of the claims (tests pass their own). */
  now?: () => Date;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  const plans = new PlanService(new PlanRepository());
  // cw-claims
  const claimRepository = new ClaimRepository();
  const claims = new ClaimService(claimRepository, new EmployeeRepository(), {
    maxReceiptBytes: settings.maxReceiptBytes ?? 5 * 1_048_576,
    now: settings.now,
  });
  const payroll = new PayrollService(claimRepository, legalFigures);
  return { legalFigures, plans, claims, payroll };
}

export type Services = ReturnType<typeof createServices>;

import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_LEGAL_FIGURES, type LegalFigures } from './legal.js';
import { BonusRepository } from './modules/bonus/bonus.repository.js';
import { BonusService } from './modules/bonus/bonus.service.js';
import { EmployeeRepository } from './modules/employee/employee.repository.js';
import { FundingRepository } from './modules/funding/funding.repository.js';
import { FundingService } from './modules/funding/funding.service.js';
import { PlanEndService } from './modules/plan-end/plan-end.service.js';
import { PlanRepository } from './modules/plan/plan.repository.js';
import { PlanService } from './modules/plan/plan.service.js';
// The fund contract and the offer coverage.
import { FundService } from './modules/fund/fund.service.js';
import { OfferCoverageService } from './modules/offer-coverage/offer-coverage.service.js';
import { ClaimRepository } from './modules/claim/claim.repository.js';
import { ClaimService } from './modules/claim/claim.service.js';
import { PayrollService } from './modules/payroll/payroll.service.js';
import { EmployeeService } from './modules/employee/employee.service.js';
import { EnrolmentService } from './modules/enrolment/enrolment.service.js';
// The fringe-benefit cap and the employee's view.
import { FringeRepository } from './modules/fringe/fringe.repository.js';
import { FringeService } from './modules/fringe/fringe.service.js';
import { MyCreditRepository } from './modules/my-credit/my-credit.repository.js';
import { MyCreditService } from './modules/my-credit/my-credit.service.js';
import { DashboardService } from './modules/dashboard/dashboard.service.js';
// A plan's usage by category, purpose and month.
import { ReportService } from './modules/report/report.service.js';

/** Settings of the services (from the config; tests pass their own). */
export interface ServiceSettings {
  /** The legal figures (caps, rates, years), each with its source. */
  legalFigures?: LegalFigures;
  /** The largest receipt of a reimbursement claim, in bytes (default 5 MB). */
  maxReceiptBytes?: number;
  /** Largest plan regulation, in bytes (default 5 MB). */
  maxRegulationBytes?: number;
  /** The clock of plans, funding, plan ends, claims and the fund contract (tests set it). */
  now?: () => Date;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const legalFigures = settings.legalFigures ?? DEFAULT_LEGAL_FIGURES;
  const now = settings.now ?? (() => new Date());
  // Plans, their funding and their end.
  const planRepository = new PlanRepository();
  const plans = new PlanService(planRepository, {
    maxRegulationBytes: settings.maxRegulationBytes ?? 5 * 1024 * 1024,
    now,
  });
  const funding = new FundingService(new FundingRepository(), planRepository, plans, now);
  const planEnd = new PlanEndService(planRepository, plans, now);
  // Performance bonus conversion.
  const bonuses = new BonusService(
    new BonusRepository(),
    new EmployeeRepository(),
    legalFigures,
    now,
  );
  // The fund contract (payments' checkout) and `Offer.coveredByMyPlan`.
  const funds = new FundService(now);
  const offerCoverage = new OfferCoverageService(now);
  const claimRepository = new ClaimRepository();
  const claims = new ClaimService(claimRepository, new EmployeeRepository(), {
    maxReceiptBytes: settings.maxReceiptBytes ?? 5 * 1_048_576,
    now,
  });
  const payroll = new PayrollService(claimRepository, legalFigures);
  // Employees enrolled or changed are credited in the employer's active plans.
  const afterEnrolment = (em: EntityManager, employerId: string) =>
    funding.creditEnrolled(em, employerId);
  const enrolment = new EnrolmentService(afterEnrolment);
  const employees = new EmployeeService(new EmployeeRepository(), afterEnrolment);
  // The fringe-benefit cap (other modules call `fringe` before moving fringe benefits),
  // the employee's view of their plans and the employer's dashboard.
  const fringe = new FringeService(new FringeRepository(), legalFigures, now);
  const myCredit = new MyCreditService(new MyCreditRepository(), new EmployeeRepository(), fringe);
  const dashboard = new DashboardService(fringe);
  return {
    legalFigures,
    plans,
    funding,
    planEnd,
    bonuses,
    funds,
    offerCoverage,
    claims,
    payroll,
    enrolment,
    employees,
    fringe,
    myCredit,
    dashboard,
    reports: new ReportService(),
  };
}

export type Services = ReturnType<typeof createServices>;

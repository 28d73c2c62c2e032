import { BonusConversion } from './modules/bonus/bonus-conversion.entity.js';
import { Employee } from './modules/employee/employee.entity.js';
import { Plan, PlanCategory } from './modules/plan/plan.entity.js';
import { Claim, ClaimReceipt } from './modules/claim/claim.entity.js';
import {
  EnrolmentJob,
  EnrolmentRejection,
  EnrolmentStagingRow,
} from './modules/enrolment/enrolment.entity.js';
import { FringeBenefit } from './modules/fringe/fringe.entity.js';

/** Every MikroORM entity of the corporate-welfare subgraph. */
export const entities = [
  Plan,
  PlanCategory,
  Employee,
  BonusConversion,
  Claim,
  ClaimReceipt,
  EnrolmentJob,
  EnrolmentRejection,
  EnrolmentStagingRow,
  FringeBenefit,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'corporate_welfare';

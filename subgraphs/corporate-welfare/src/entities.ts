import { Employee } from './modules/employee/employee.entity.js';
import { Plan, PlanCategory } from './modules/plan/plan.entity.js';
// cw-employee
import { FringeBenefit } from './modules/fringe/fringe.entity.js';

/** Every MikroORM entity of the corporate-welfare subgraph. */
export const entities = [
  Plan,
  PlanCategory,
  Employee,
  // cw-employee
  FringeBenefit,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'corporate_welfare';

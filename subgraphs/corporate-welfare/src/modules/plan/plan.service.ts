import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { requireHr } from '../shared/access.js';
import type { Plan } from './plan.entity.js';
import type { PlanRepository } from './plan.repository.js';

/** Plans listed at most. */
const LIST_LIMIT = 100;

/** The rules of welfare plans: who may read and change them, and what a valid plan is. */
export class PlanService {
  constructor(private readonly repository: PlanRepository) {}

  /** The employer's plans, newest year first: its HR only. */
  list(em: EntityManager, caller: Caller, employerId: string): Promise<Plan[]> {
    requireHr(caller, employerId);
    return this.repository.listOf(em, employerId, LIST_LIMIT);
  }
}

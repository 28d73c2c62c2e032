import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from './plan.entity.js';

/** The queries of plans: the service holds the rules, this file the reads and writes. */
export class PlanRepository {
  /** The employer's plans, newest year first (index `plan_employer_idx`), with their categories. */
  listOf(em: EntityManager, employerId: string, limit: number): Promise<Plan[]> {
    return em.find(
      Plan,
      { employerId },
      { orderBy: { year: 'desc', createdAt: 'desc' }, limit, populate: ['categories'] },
    );
  }

  /** A plan with its categories, or null. */
  get(em: EntityManager, id: string): Promise<Plan | null> {
    return em.findOne(Plan, { id }, { populate: ['categories'] });
  }

  /**
   * A plan locked `FOR UPDATE` (in the caller's transaction) with its categories: every change of
   * a plan's state (edit, publication, funding, crediting, closing) takes this lock first, so two
   * of them on one plan queue instead of both acting.
   */
  async lock(tx: EntityManager, id: string): Promise<Plan | null> {
    const plan = await tx.findOne(
      Plan,
      { id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (plan) await tx.populate(plan, ['categories'], { refresh: true });
    return plan;
  }

  /** A plan with its regulation's bytes, or null. */
  withRegulation(em: EntityManager, id: string): Promise<Plan | null> {
    return em.findOne(Plan, { id }, { populate: ['regulation'] });
  }

  /** The employer's ACTIVE plans, by id (the order they are locked in). */
  activeOf(em: EntityManager, employerId: string): Promise<Plan[]> {
    return em.find(Plan, { employerId, status: 'ACTIVE' }, { orderBy: { id: 'asc' } });
  }

  /**
   * The employer's next ACTIVE plan after `plan` (the one that ends after it, the earliest start
   * first): where CARRY_OVER moves unspent credit. Null when there is none.
   */
  nextActive(em: EntityManager, plan: Plan): Promise<Plan | null> {
    return em.findOne(
      Plan,
      {
        employerId: plan.employerId,
        status: 'ACTIVE',
        id: { $ne: plan.id },
        validUntil: { $gt: plan.validUntil },
      },
      { orderBy: { validFrom: 'asc', id: 'asc' } },
    );
  }

  /** Ids of ACTIVE plans whose last day is before `day` (index `plan_active_until_idx`). */
  async endedBefore(em: EntityManager, day: string, limit: number): Promise<string[]> {
    const rows = await em.find(
      Plan,
      { status: 'ACTIVE', validUntil: { $lt: day } },
      { fields: ['id'], orderBy: { validUntil: 'asc', id: 'asc' }, limit },
    );
    return rows.map((p) => p.id);
  }
}

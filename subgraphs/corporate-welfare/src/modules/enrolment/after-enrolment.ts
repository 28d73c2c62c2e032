import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What happens after employees of an employer were enrolled or changed (an import committed, an
 * employee edited): the single call site of the plan engineer's `creditEnrolled(em, employerId)`
 * (credit the new employees of the employer's active plans), which is not on this branch.
 *
 * WIRED AT MERGE: when `creditEnrolled` exists on main, this function's body becomes
 * `await creditEnrolled(em, employerId);` and nothing else changes. Until then it does nothing.
 */
export async function afterEnrolment(em: EntityManager, employerId: string): Promise<void> {
  void em;
  void employerId;
  return Promise.resolve();
}

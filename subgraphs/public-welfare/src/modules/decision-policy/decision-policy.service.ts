import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, requireComuneManager, requireComuneStaff } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { MAX_CENTS } from '../campaign/rules.js';
import {
  readDecisionPolicy,
  writeDecisionPolicy,
  type DecisionPolicy,
} from './decision-policy.repository.js';

/**
 * A Comune's decision policy: read by its staff, set by its MANAGER (FORBIDDEN otherwise, as
 * everywhere in the Comune's area). Off when never set.
 */
export class DecisionPolicyService {
  constructor(private readonly audit: AuditService) {}

  async policy(em: EntityManager, caller: Caller, comuneId: string): Promise<DecisionPolicy> {
    requireComuneStaff(caller, comuneId);
    return readDecisionPolicy(em, comuneId);
  }

  /**
   * Sets the policy. The limit is in cents (0 to 100,000,000 €), or null (approvals never wait);
   * it is kept as given even when the second approval is off.
   */
  async setPolicy(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    secondApproval: boolean,
    amountLimitCents: number | null,
  ): Promise<DecisionPolicy> {
    const person = requireComuneManager(caller, comuneId);
    const errors = new FieldErrors();
    if (
      amountLimitCents !== null &&
      (!Number.isInteger(amountLimitCents) || amountLimitCents < 0 || amountLimitCents > MAX_CENTS)
    ) {
      errors.add(
        'amountLimitCents',
        'Importo in centesimi tra 0 e 100.000.000 €.',
        'Amount in cents between €0 and €100,000,000.',
      );
    }
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      await writeDecisionPolicy(tx, comuneId, secondApproval, amountLimitCents, person.personId);
      await this.audit.record(
        tx,
        actorOf(caller),
        comuneId,
        'SET_DECISION_POLICY',
        `comune:${comuneId}:${secondApproval ? 'on' : 'off'}:${amountLimitCents ?? '-'}`,
      );
      return readDecisionPolicy(tx, comuneId);
    });
  }
}

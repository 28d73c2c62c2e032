import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf } from '@welfare/kit/access';
import type { AuditLog } from '@welfare/kit/audit';
import { romeDay } from '@welfare/kit/dates';
import type { CircuitService } from '../circuit/circuit.service.js';
import { requireCircuitManager } from '../shared/access.js';
import type { DemurrageOutcome, DemurrageService } from './demurrage.service.js';

/** Actions of the manual run written to the audit log. */
export type DemurrageAuditAction = 'IES_DEMURRAGE_RUN';

/** What a manual run did, with the month it charged. */
export interface DemurrageRun extends DemurrageOutcome {
  circuitId: string;
  /** The month (`YYYY-MM`, Rome time) whose demurrage was charged. */
  month: string;
}

/**
 * The manual run of one circuit's demurrage and expiry (its MANAGER), the same pass as the
 * scheduled job's (`DemurrageService.runCircuit`): its deterministic transfer ids charge each wallet
 * once a month however many times it runs (a second run in the month charges nothing). Audited,
 * with what it did. A circuit not ACTIVE is left alone, as the job does.
 */
export class DemurrageRunService {
  constructor(
    private readonly circuits: CircuitService,
    private readonly demurrage: DemurrageService,
    private readonly audit: AuditLog<DemurrageAuditAction>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(em: EntityManager, caller: Caller, circuitId: string): Promise<DemurrageRun> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitManager(caller, circuit);
    const month = romeDay(this.now()).slice(0, 7);
    const done: DemurrageOutcome =
      circuit.status === 'ACTIVE'
        ? await this.demurrage.runCircuit(em.fork(), circuit)
        : { demurrageCharged: 0, demurrageCents: 0, expired: 0, expiredCents: 0 };
    await em
      .fork()
      .transactional((tx) =>
        this.audit.record(
          tx,
          actorOf(caller),
          circuit.managerId,
          'IES_DEMURRAGE_RUN',
          `circuit:${circuit.id}:${month}:charged=${done.demurrageCharged}:expired=${done.expired}`,
        ),
      );
    return { circuitId: circuit.id, month, ...done };
  }
}

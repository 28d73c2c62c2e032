import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { requireComuneStaff } from '@welfare/kit/access';
import { romeToday } from '@welfare/kit/dates';
import { type WorklistCounts, worklistCounts } from './worklist.repository.js';

/** What a Comune's staff has to do today: the counts behind their worklist home page. */
export interface Worklist extends WorklistCounts {
  comuneId: string;
  /** The Comune's day the counts are of (Europe/Rome). */
  today: string;
}

/**
 * The Comune's worklist: counts only (no personal data, so no audit entry), for its OPERATOR and
 * MANAGER (FORBIDDEN otherwise, as for the queue).
 */
export class WorklistService {
  constructor(private readonly now: () => Date) {}

  async worklist(em: EntityManager, caller: Caller, comuneId: string): Promise<Worklist> {
    requireComuneStaff(caller, comuneId);
    const today = romeToday(this.now);
    const counts = await worklistCounts(em, comuneId, today);
    return { comuneId, today, ...counts };
  }
}

import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditChainRows, insertAuditEvent } from './audit.repository.js';

/** Actions written to the audit log. */
export type AuditAction =
  | 'READ_INCOME'
  | 'SEARCH_INCOME'
  | 'EXPORT_HOUSEHOLDS'
  | 'IMPORT_REGISTRY'
  | 'IMPORT_INCOME'
  | 'EDIT_CAMPAIGN'
  | 'PUBLISH_CAMPAIGN'
  | 'CLOSE_CAMPAIGN'
  | 'SET_BUDGET'
  | 'RANK_CAMPAIGN'
  | 'EXPORT_RANKING'
  | 'READ_CASE'
  | 'SEARCH_CASES'
  | 'READ_DOCUMENT'
  | 'ISSUE_CARDS'
  | 'READ_CARD'
  | 'SEARCH_CARDS'
  | 'BLOCK_CARD'
  | 'UNBLOCK_CARD'
  | 'REPLACE_CARD'
  | 'TOP_UP'
  | 'SWEEP'
  | 'DECIDE_SHOP';

export interface ChainCheck {
  /** Rows checked. */
  rows: number;
  /** `seq` of the first row whose hash does not match, if any. */
  brokenAt: number | undefined;
}

const GENESIS = '0'.repeat(64);

/**
 * The append-only, hash-chained audit log. The database computes the chain (a trigger under an
 * advisory lock) and refuses UPDATE, DELETE and TRUNCATE; this service only appends and verifies.
 */
export class AuditService {
  /** Appends one event in the EntityManager's transaction, if any. `actor`: see `actorOf`. */
  async record(
    em: EntityManager,
    actor: string,
    comuneId: string,
    action: AuditAction,
    subject: string,
  ): Promise<void> {
    await insertAuditEvent(em, comuneId, actor, action, subject);
  }

  /** Recomputes the whole chain in order; `brokenAt` names the first row that does not match. */
  async verifyChain(em: EntityManager): Promise<ChainCheck> {
    const rows = await auditChainRows(em);
    let previous = GENESIS;
    for (const row of rows) {
      const content = [
        previous,
        row.seq,
        row.comune_id,
        row.actor,
        row.action,
        row.subject,
        row.at_text,
      ];
      const expected = createHash('sha256').update(content.join('|'), 'utf8').digest('hex');
      if (row.prev_hash !== previous || row.hash !== expected) {
        return { rows: rows.length, brokenAt: Number(row.seq) };
      }
      previous = row.hash;
    }
    return { rows: rows.length, brokenAt: undefined };
  }
}

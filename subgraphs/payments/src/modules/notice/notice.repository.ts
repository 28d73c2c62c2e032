import type { EntityManager } from '@mikro-orm/postgresql';
import { Notice } from './notice.entity.js';

/** The queries of notices: the service holds the rules, this file the reads and writes. */
export class NoticeRepository {
  /** The organisation's notices, newest first (index `notice_organisation_idx`). */
  listOf(em: EntityManager, organisationId: string, limit: number): Promise<Notice[]> {
    return em.find(Notice, { organisationId }, { orderBy: { createdAt: 'desc' }, limit });
  }

  /** Writes a new notice. */
  async insert(em: EntityManager, notice: Omit<Notice, 'id' | 'createdAt'>): Promise<Notice> {
    const entity = em.create(Notice, notice);
    await em.flush();
    return entity;
  }
}

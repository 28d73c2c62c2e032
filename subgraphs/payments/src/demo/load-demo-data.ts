import type { EntityManager } from '@mikro-orm/postgresql';
import { Notice } from '../modules/notice/notice.entity.js';
import type { Services } from '../services.js';
import { DEMO_COMUNE_ID, DEMO_NOTICE_ID } from './facts.js';

/** Loads the demo data (idempotent: what exists is left as it is). */
export async function loadDemoData(em: EntityManager, _services: Services): Promise<void> {
  if (await em.findOne(Notice, DEMO_NOTICE_ID)) return;
  em.create(Notice, {
    id: DEMO_NOTICE_ID,
    organisationId: DEMO_COMUNE_ID,
    title: 'Benvenuti',
    body: 'Il sottografo payments è pronto.',
    createdBy: DEMO_COMUNE_ID,
  });
  await em.flush();
}

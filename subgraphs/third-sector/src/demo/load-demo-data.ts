import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonCaller } from '@welfare/kit';
import { AccreditationRequest } from '../modules/accreditation/accreditation-request.entity.js';
import { AccreditationRequirement } from '../modules/accreditation-requirement/accreditation-requirement.entity.js';
import { addDays } from '@welfare/kit/dates';
import type { Services } from '../services.js';
import { loadDemoOffers } from './demo-offers.js';
import { loadDemoTutoring } from './demo-tutoring.js';
import { DEMO_COMUNE_ID, DEMO_MANAGER_ID, DEMO_PROVIDERS, DEMO_REQUIREMENTS } from './facts.js';

/** A minimal PDF standing for a scanned certificate. */
function demoPdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${label}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

function person(
  id: string,
  organisationId: string,
  kind: 'COMUNE' | 'COOPERATIVE' | 'ASSOCIATION',
  role: 'MANAGER' | 'ADMIN',
): PersonCaller {
  return {
    kind: 'person',
    personId: id,
    sessionId: 'demo',
    platformAdmin: false,
    memberships: [{ organisationId, organisationKind: kind, role }],
  };
}

/**
 * The demo accreditation data, idempotently, through the same services as the API: the demo
 * Comune's checklist (created when missing), La Esse and the Associazione Amici di Balestrate
 * ACCREDITED for a year, the Cooperativa Il Girasole's request SUBMITTED. A provider that already
 * has any request is left as it is.
 */
export async function loadDemoData(em: EntityManager, services: Services): Promise<void> {
  const manager = person(DEMO_MANAGER_ID, DEMO_COMUNE_ID, 'COMUNE', 'MANAGER');
  for (const item of DEMO_REQUIREMENTS) {
    const exists = await em.fork().count(AccreditationRequirement, {
      comuneId: DEMO_COMUNE_ID,
      code: item.code,
    });
    if (!exists)
      await services.requirements.save(em.fork(), manager, { comuneId: DEMO_COMUNE_ID, ...item });
  }
  const checklist = await services.requirements.list(em.fork(), manager, DEMO_COMUNE_ID);
  const accreditations = services.accreditations;
  for (const [key, provider] of Object.entries(DEMO_PROVIDERS)) {
    const started = await em.fork().count(AccreditationRequest, {
      providerId: provider.id,
      comuneId: DEMO_COMUNE_ID,
    });
    if (started) continue;
    const admin = person(provider.adminId, provider.id, provider.kind, 'ADMIN');
    const draft = await accreditations.start(em.fork(), admin, provider.id, DEMO_COMUNE_ID);
    for (const item of checklist.filter((r) => r.documentRequired)) {
      await accreditations.addDocument(em.fork(), admin, draft.id, {
        requirementId: item.id,
        fileName: `${item.code.toLowerCase()}.pdf`,
        content: demoPdf(`${key} ${item.code}`),
      });
    }
    await accreditations.submit(
      em.fork(),
      admin,
      draft.id,
      checklist.map((r) => ({ requirementId: r.id, declared: true, note: null })),
    );
    if (key === 'girasole') continue;
    await accreditations.startReview(em.fork(), manager, draft.id);
    await accreditations.decide(em.fork(), manager, draft.id, {
      outcome: 'ACCREDITED',
      reason: 'Requisiti verificati sui documenti allegati.',
      validUntil: addDays(accreditations.today(), 365),
    });
  }
  await loadDemoOffers(
    em,
    services,
    DEMO_COMUNE_ID,
    Object.fromEntries(
      Object.entries(DEMO_PROVIDERS).map(([key, p]) => [
        key,
        { providerId: p.id, admin: person(p.adminId, p.id, p.kind, 'ADMIN') },
      ]),
    ) as Parameters<typeof loadDemoOffers>[3],
  );
  await loadDemoTutoring(
    em,
    services,
    DEMO_COMUNE_ID,
    DEMO_PROVIDERS.laEsse.id,
    DEMO_MANAGER_ID,
    person(DEMO_PROVIDERS.laEsse.adminId, DEMO_PROVIDERS.laEsse.id, 'COOPERATIVE', 'ADMIN'),
  );
}

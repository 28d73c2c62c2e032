import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign } from '../modules/campaign/campaign.entity.js';
import type { Services } from '../services.js';
import { citizen, issueAndCredit, manager } from './demo-money.js';
import { DEMO_CITIZEN_HOUSEHOLDS } from './demo-registry.js';
import { DEMO_CAMPAIGN_ID } from './facts.js';

/** Mario Rossi, the demo citizen (4 members, ISEE 8.500 €: 350 € of the open campaign). */
const MARIO = DEMO_CITIZEN_HOUSEHOLDS[0]!.fiscalCode;

/** A small but real PDF: the identity document the campaign asks for. */
const IDENTITY_DOCUMENT = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% documento di identità (demo)\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/**
 * Mario's card in the open demo campaign ("Buoni spesa 2026"), through the same services as the
 * portal: his application (declarations, identity document) submitted, approved by the manager,
 * the card issued with the demo PIN and credited. Its credit covers the campaign's service
 * categories, so the demo shows him paying a service (childcare, education, sport) with it and
 * the rest by card. Idempotent: each step does only what is missing.
 */
export async function loadDemoCitizenCard(em: EntityManager, services: Services): Promise<void> {
  const campaign = await em.findOneOrFail(Campaign, { id: DEMO_CAMPAIGN_ID });
  const mario = citizen(MARIO);
  const mine = await services.applications.mine(em.fork(), mario);
  let application =
    mine.find((a) => a.campaignId === campaign.id) ??
    (await services.applications.saveDraft(em.fork(), mario, {
      campaignId: campaign.id,
      privacyNoticeAcknowledged: true,
      acceptedDeclarations: campaign.declarations.map((d) => d.code),
    }));
  if (application.status === 'DRAFT') {
    await services.applications.addDocument(em.fork(), mario, application.id, {
      code: 'DOCUMENTO_IDENTITA',
      fileName: 'documento-identita.pdf',
      content: IDENTITY_DOCUMENT,
    });
    application = await services.applications.submit(em.fork(), mario, application.id);
  }
  if (application.status === 'SUBMITTED') {
    await services.cases.decide(em.fork(), manager, application.id, true, null);
  }
  await issueAndCredit(em, services, campaign);
}

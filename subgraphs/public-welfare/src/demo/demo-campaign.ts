import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Campaign } from '../modules/campaign/campaign.entity.js';
import { syncCampaignFund } from '../modules/ledger/ledger.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_COMUNE_ID,
  DEMO_SERVICE_CATEGORIES,
} from './facts.js';

/** The demo Comune's responsabile (identity's demo account), recorded as its author. */
const DEMO_MANAGER_ID = '0b7c2d1e-0000-4000-8000-000000000203';

/**
 * One open campaign of the demo Comune: food vouchers, open from yesterday for 60 days, 30,000 €
 * budget, ISEE up to 12,000 €, amounts by household size, an identity document to upload; its
 * credit also pays for education, childcare and sport services of the catalogue.
 * Created once (found by id afterwards; the service categories are added to an older demo).
 */
export async function loadDemoCampaign(em: EntityManager): Promise<void> {
  const existing = await em.findOne(Campaign, { id: DEMO_CAMPAIGN_ID });
  if (existing) {
    if (existing.serviceCategories.length === 0) {
      existing.serviceCategories = [...DEMO_SERVICE_CATEGORIES];
      await em.flush();
    }
    await fundDemoCampaign(em);
    return;
  }
  const now = Date.now();
  const day = 86_400_000;
  const opens = new Date(now - day);
  const closes = new Date(now + 60 * day);
  em.create(Campaign, {
    id: DEMO_CAMPAIGN_ID,
    comuneId: DEMO_COMUNE_ID,
    kind: 'FOOD_VOUCHERS',
    status: 'PUBLISHED',
    title: DEMO_CAMPAIGN_TITLE,
    description:
      'Buoni spesa per alimenti e beni di prima necessità per i nuclei familiari residenti a Balestrate con ISEE fino a 12.000 €.\n\nL’importo dipende dal numero dei componenti del nucleo: da 150 € per una persona sola a 400 € per nuclei di cinque o più persone. I buoni si spendono negli esercizi convenzionati.',
    contacts:
      'Comune di Balestrate – Ufficio Servizi Sociali\nVia Roma 1, 90041 Balestrate (PA) · servizisociali@comune.balestrate.demo · 091 000 0000 (lun–ven 9–12)',
    budgetCents: 3_000_000,
    applicationsOpenAt: opens,
    applicationsCloseAt: closes,
    spendingFrom: new Date(now).toISOString().slice(0, 10),
    spendingUntil: new Date(now + 180 * day).toISOString().slice(0, 10),
    rules: {
      requireResidency: true,
      iseeMaxByType: { ORDINARIO: 1_200_000, CORRENTE: 1_200_000, MINORENNI: 1_200_000 },
      minSize: null,
      maxSize: null,
      excludePublicSupport: true,
    },
    amountSchedule: {
      mode: 'BY_SIZE',
      bySizeCents: [15_000, 25_000, 30_000, 35_000, 40_000],
      perAdultCents: 0,
      perMinorCents: 0,
      capCents: null,
    },
    requiredDocuments: [
      {
        code: 'DOCUMENTO_IDENTITA',
        labelIt: 'Documento d’identità del richiedente',
        labelEn: 'The applicant’s identity document',
        mandatory: true,
      },
    ],
    declarations: [
      {
        code: 'VERIDICITA',
        textIt:
          'Dichiaro, ai sensi del DPR 445/2000, che quanto indicato corrisponde al vero e di essere consapevole delle sanzioni penali per dichiarazioni mendaci.',
        textEn:
          'I declare, under Presidential Decree 445/2000, that the above is true and that I am aware of the criminal penalties for false declarations.',
      },
      {
        code: 'NESSUN_ALTRO_BUONO',
        textIt:
          'Dichiaro che nessun altro componente del nucleo presenta domanda per questa misura.',
        textEn: 'I declare that no other member of my household applies to this measure.',
      },
    ],
    rankingCriteria: ['ISEE_ASC', 'MINORS_DESC', 'SUBMITTED_ASC'],
    decisionDays: 30,
    serviceCategories: [...DEMO_SERVICE_CATEGORIES],
    createdBy: DEMO_MANAGER_ID,
    publishedAt: opens,
  });
  await em.flush();
  await fundDemoCampaign(em);
}

/**
 * The campaign is created PUBLISHED: its FUND receives the budget as `publish` would (under the
 * campaign's row lock; nothing moves when it already holds it).
 */
async function fundDemoCampaign(em: EntityManager): Promise<void> {
  await em.fork().transactional(async (tx) => {
    const campaign = await tx.findOneOrFail(
      Campaign,
      { id: DEMO_CAMPAIGN_ID },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    await syncCampaignFund(tx, campaign);
  });
}

import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Household } from '../modules/household/household.entity.js';
import { IncomeDeclaration } from '../modules/income/income-declaration.entity.js';
import type { Services } from '../services.js';
import { loadDemoCampaign } from './demo-campaign.js';
import { loadDemoCitizenCard } from './demo-citizen-card.js';
import { loadDemoMoney } from './demo-money.js';
import { DEMO_HOUSEHOLDS, demoCsvFiles } from './demo-registry.js';
import { DEMO_COMUNE_ID } from './facts.js';

/**
 * Loads the demo registry and income data of the demo Comune through the same import service as
 * an upload, from generated CSV text. Idempotent: an import runs only when its data is missing
 * (and the imports are upserts anyway). Throws when a demo import fails. Then the demo campaigns:
 * one open to applications, one with cards, credit, an accredited shop and payments; with
 * `citizenCard`, Mario's card in the open one (demo-citizen-card.ts).
 */
export async function loadDemoData(
  em: EntityManager,
  services: Services,
  options: { citizenCard?: boolean } = {},
): Promise<void> {
  const { imports } = services;
  const files = demoCsvFiles();
  if ((await em.count(Household, { comuneId: DEMO_COMUNE_ID })) < DEMO_HOUSEHOLDS) {
    const job = await imports.importAsSystem(
      em.fork(),
      DEMO_COMUNE_ID,
      'REGISTRY',
      Readable.from([files.registry]),
    );
    if (job.status !== 'SUCCEEDED') throw new Error(`demo registry import ${job.status}`);
  }
  if ((await em.count(IncomeDeclaration, { comuneId: DEMO_COMUNE_ID })) === 0) {
    const job = await imports.importAsSystem(
      em.fork(),
      DEMO_COMUNE_ID,
      'INCOME',
      Readable.from([files.income]),
    );
    if (job.status !== 'SUCCEEDED') throw new Error(`demo income import ${job.status}`);
  }
  await loadDemoCampaign(em.fork());
  await loadDemoMoney(em.fork(), services);
  if (options.citizenCard) await loadDemoCitizenCard(em.fork(), services);
}

import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, PersonCaller } from '@welfare/kit';
import type { ApplicationDraftInput } from '../modules/application/application.input.js';
import { Campaign } from '../modules/campaign/campaign.entity.js';
import { ShopAccreditation } from '../modules/shop/shop.entity.js';
import type { Services } from '../services.js';
import { demoCsvFiles } from './demo-registry.js';
import {
  DEMO_CARD_HOLDER,
  DEMO_CARD_PIN,
  DEMO_COMUNE_ID,
  DEMO_SPENDING_CAMPAIGN_ID,
  DEMO_SPENDING_CAMPAIGN_TITLE,
} from './facts.js';

/** Identity's demo accounts and the demo shop (subgraphs/identity/src/demo/accounts.ts). */
const MANAGER_ID = '0b7c2d1e-0000-4000-8000-000000000203';
const DA_ROSA_ID = '0b7c2d1e-0000-4000-8000-000000000104';
const DA_ROSA_OWNER_ID = '0b7c2d1e-0000-4000-8000-000000000207';
const DA_ROSA_CASHIER_ID = '0b7c2d1e-0000-4000-8000-000000000208';

/** How many other households of the demo registry hold a card of the demo campaign. */
const OTHER_HOLDERS = 11;

const person = (personId: string, memberships: PersonCaller['memberships']): PersonCaller => ({
  kind: 'person',
  personId,
  sessionId: 'demo-data',
  platformAdmin: false,
  memberships,
});
export const manager = person(MANAGER_ID, [
  { organisationId: DEMO_COMUNE_ID, organisationKind: 'COMUNE', role: 'MANAGER' },
]);
const owner = person(DA_ROSA_OWNER_ID, [
  { organisationId: DA_ROSA_ID, organisationKind: 'MERCHANT', role: 'OWNER' },
]);
const cashier = person(DA_ROSA_CASHIER_ID, [
  { organisationId: DA_ROSA_ID, organisationKind: 'MERCHANT', role: 'CASHIER' },
]);
export const citizen = (fiscalCode: string): Caller => ({
  ...person(
    // A stable person id per citizen (the demo citizens' real ids do not matter here).
    uuidFrom(`demo-citizen:${fiscalCode}`),
    [],
  ),
  fiscalCode,
});

/** A deterministic uuid (v4 layout) from a text: the demo's fixed keys. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The heads of the first generated households of the demo registry. */
function demoHeads(count: number): string[] {
  const heads: string[] = [];
  for (const line of demoCsvFiles().registry.split('\r\n').slice(1)) {
    const cells = line.split(';');
    if (cells[6] === 'INTESTATARIO' && cells[8] === 'SI') heads.push(cells[1]!);
    if (heads.length === count) break;
  }
  return heads;
}

/**
 * The money side of the demo, through the same services as the portal: a second campaign of the
 * demo Comune whose applications were approved, cards issued (PIN DEMO_CARD_PIN) and credited,
 * the demo shop "Alimentari Da Rosa" accredited for it, and a few payments at its till.
 * Idempotent: each step does only what is missing (fixed ids and idempotency keys).
 */
export async function loadDemoMoney(em: EntityManager, services: Services): Promise<void> {
  const now = Date.now();
  const campaign = await spendingCampaign(em, now);
  const shop = await demoShop(em, services, campaign);
  if (campaign.status === 'PUBLISHED') await applyAndClose(em, services, campaign, now);
  await issueAndCredit(em, services, campaign);
  await payAtTheTill(em, services, shop);
}

const DAY_MS = 86_400_000;

/** The demo's spending campaign, PUBLISHED with its applications open (created once). */
async function spendingCampaign(em: EntityManager, now: number): Promise<Campaign> {
  const day = DAY_MS;
  if (!(await em.count(Campaign, { id: DEMO_SPENDING_CAMPAIGN_ID }))) {
    em.create(Campaign, {
      id: DEMO_SPENDING_CAMPAIGN_ID,
      comuneId: DEMO_COMUNE_ID,
      kind: 'FOOD_VOUCHERS',
      status: 'PUBLISHED',
      title: DEMO_SPENDING_CAMPAIGN_TITLE,
      description:
        'Buoni spesa per i nuclei familiari residenti a Balestrate, primo semestre 2026. Le domande sono chiuse: il credito è sulle carte dei beneficiari e si spende negli esercizi convenzionati fino alla fine del periodo di spesa.',
      contacts:
        'Comune di Balestrate – Ufficio Servizi Sociali\nVia Roma 1, 90041 Balestrate (PA) · servizisociali@comune.balestrate.demo',
      budgetCents: 1_000_000,
      applicationsOpenAt: new Date(now - 40 * day),
      // Open while the demo applies (below), then closed.
      applicationsCloseAt: new Date(now + day),
      spendingFrom: new Date(now - 20 * day).toISOString().slice(0, 10),
      spendingUntil: new Date(now + 160 * day).toISOString().slice(0, 10),
      rules: {
        requireResidency: true,
        iseeMaxByType: {},
        minSize: null,
        maxSize: null,
        excludePublicSupport: false,
      },
      amountSchedule: {
        mode: 'BY_SIZE',
        bySizeCents: [10_000, 15_000, 20_000, 25_000, 30_000],
        perAdultCents: 0,
        perMinorCents: 0,
        capCents: null,
      },
      requiredDocuments: [],
      declarations: [],
      rankingCriteria: ['SUBMITTED_ASC'],
      decisionDays: 30,
      createdBy: MANAGER_ID,
      publishedAt: new Date(now - 40 * day),
    });
    await em.flush();
  }
  return em.findOneOrFail(Campaign, { id: DEMO_SPENDING_CAMPAIGN_ID });
}

/** The demo shop's point of sale; its coordinates are approximate (Balestrate's centre). */
const DA_ROSA_POINT = {
  name: 'Centro',
  address: 'Via Roma 1, 90041 Balestrate',
  latitude: 38.0507,
  longitude: 13.0069,
};

/** The demo shop, accredited for this campaign (shops join while it is published). */
async function demoShop(
  em: EntityManager,
  services: Services,
  campaign: Campaign,
): Promise<ShopAccreditation> {
  let shop = await em.findOne(ShopAccreditation, {
    merchantId: DA_ROSA_ID,
    campaignId: campaign.id,
  });
  if (!shop) {
    shop = await services.shops.requestAccreditation(em.fork(), owner, {
      merchantId: DA_ROSA_ID,
      campaignId: campaign.id,
      partitaIva: '12345678903',
      iban: 'IT60X0542811101000000123456',
      businessName: 'Alimentari Da Rosa',
      categories: ['FOOD', 'HYGIENE'],
      pointsOfSale: [DA_ROSA_POINT],
    });
  } else if (shop.pointsOfSale[0]?.latitude == null) {
    // Demo data loaded before points of sale had coordinates.
    shop.pointsOfSale = [DA_ROSA_POINT];
    await em.flush();
  }
  if (shop.status !== 'ACCREDITED') {
    await services.shops.decide(em.fork(), manager, shop.id, 'ACCREDITED');
  }
  return shop;
}

/** Applications: submitted by the citizens, approved by the manager; then the window closes. */
async function applyAndClose(
  em: EntityManager,
  services: Services,
  campaign: Campaign,
  now: number,
): Promise<void> {
  const day = DAY_MS;
  for (const fiscalCode of [DEMO_CARD_HOLDER, ...demoHeads(OTHER_HOLDERS)]) {
    const applicant = citizen(fiscalCode);
    const input: ApplicationDraftInput = {
      campaignId: campaign.id,
      privacyNoticeAcknowledged: true,
      acceptedDeclarations: [],
    };
    const draft = await services.applications.saveDraft(em.fork(), applicant, input);
    const submitted =
      draft.status === 'DRAFT'
        ? await services.applications.submit(em.fork(), applicant, draft.id)
        : draft;
    if (submitted.status === 'SUBMITTED') {
      await services.cases.decide(em.fork(), manager, submitted.id, true, null);
    }
  }
  // The window is over: closed by the manager, as in the portal.
  await em.nativeUpdate(
    Campaign,
    { id: campaign.id },
    { applicationsCloseAt: new Date(now - 10 * day) },
  );
  await services.campaigns.close(em.fork(), manager, campaign.id);
}

/** Cards for the approved applicants, all with the demo PIN, and their credit. */
export async function issueAndCredit(
  em: EntityManager,
  services: Services,
  campaign: Campaign,
): Promise<void> {
  const { issued } = await services.cards.issueForCampaign(em.fork(), manager, campaign.id);
  if (issued.length) {
    // Each card's value: the HMAC input includes the card's id.
    const ids = issued.map((i) => i.card.id);
    await em.getConnection().execute(
      `update "public_welfare"."card" c set "pin_hash" = v.pin_hash
         from unnest(?::uuid[], ?::text[]) as v(id, pin_hash) where c."id" = v.id`,
      [
        `{${ids.join(',')}}`,
        `{${ids.map((id) => services.cards.pinValue(id, DEMO_CARD_PIN)).join(',')}}`,
      ],
    );
  }
  await services.topUps.topUpCampaign(em.fork(), manager, campaign.id);
}

/** A few payments at the till (fixed keys: a second load replays them). */
async function payAtTheTill(
  em: EntityManager,
  services: Services,
  shop: ShopAccreditation,
): Promise<void> {
  const holders = demoHeads(4);
  const amounts = [2_350, 4_120, 1_890, 3_300];
  for (const [i, fiscalCode] of holders.entries()) {
    await services.payments.charge(em.fork(), cashier, {
      idempotencyKey: uuidFrom(`demo-payment:${i}`),
      accreditationId: shop.id,
      card: { fiscalCode },
      pin: DEMO_CARD_PIN,
      amountCents: amounts[i]!,
      category: 'FOOD',
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { PersonCaller, Role } from '@welfare/kit';
import { expect } from 'vitest';
import type { Application } from '../src/modules/application/application.entity.js';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { Card } from '../src/modules/card/card.entity.js';
import type { CampaignInput } from '../src/modules/campaign/campaign.input.js';
import { book } from '../src/modules/ledger/ledger.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { PDF, campaignInput } from './campaign-fixtures.js';
import { COMUNE_A, staff, type Suite } from './helpers.js';

/** Callers and steps shared by the money tests that build their own campaigns. */
export const operator = staff(COMUNE_A);
export const manager = staff(COMUNE_A, 'MANAGER');

export function citizen(fiscalCode: string): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode,
  };
}

export function merchantPerson(merchantId: string, role: Role): PersonCaller {
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [{ organisationId: merchantId, organisationKind: 'MERCHANT', role }],
  };
}

export const accreditationInput = (merchantId: string, campaignId: string, iban: string) => ({
  merchantId,
  campaignId,
  partitaIva: '12345678903',
  iban,
  businessName: 'Alimentari Rossi',
  categories: ['FOOD', 'HYGIENE'],
  pointsOfSale: [{ name: 'Centro', address: 'Via Roma 1, Prova' }],
});

export async function publishCampaign(
  suite: Suite,
  overrides: Partial<CampaignInput> = {},
): Promise<Campaign> {
  const em = suite.orm.em.fork();
  const draft = await suite.services.campaigns.create(
    em,
    operator,
    campaignInput(COMUNE_A, overrides),
  );
  return suite.services.campaigns.publish(suite.orm.em.fork(), manager, draft.id);
}

/** The citizen applies to the campaign (the privacy notice, the declaration, an identity document). */
export async function submitApplication(
  suite: Suite,
  who: PersonCaller,
  campaign: Campaign,
): Promise<Application> {
  const em = () => suite.orm.em.fork();
  const draft = await suite.services.applications.saveDraft(em(), who, {
    campaignId: campaign.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), who, draft.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  return suite.services.applications.submit(em(), who, draft.id);
}

/** The citizen applies and an operator approves (within the budget). */
export async function applyAndApprove(
  suite: Suite,
  who: PersonCaller,
  campaign: Campaign,
): Promise<Application> {
  const submitted = await submitApplication(suite, who, campaign);
  await suite.services.cases.bulkApprove(suite.orm.em.fork(), operator, [submitted.id]);
  return (await suite.services.applications.get(suite.orm.em.fork(), operator, submitted.id))!;
}

/** A merchant's accreditation for a campaign, ACCREDITED. */
export async function accredit(
  suite: Suite,
  owner: PersonCaller,
  merchantId: string,
  campaign: Campaign,
  iban = 'IT60 X054 2811 1010 0000 0123 456',
): Promise<ShopAccreditation> {
  const requested = await suite.services.shops.requestAccreditation(
    suite.orm.em.fork(),
    owner,
    accreditationInput(merchantId, campaign.id, iban),
  );
  return suite.services.shops.decide(suite.orm.em.fork(), operator, requested.id, 'ACCREDITED');
}

export function liveCard(suite: Suite, fiscalCode: string): Promise<Card> {
  return suite.orm.em.fork().findOneOrFail(Card, {
    holderFiscalCodeHash: suite.services.applications.fiscalCodeHash(fiscalCode),
    status: { $ne: 'REPLACED' },
  });
}

/** A card's available credit (one campaign, or all). */
export async function available(suite: Suite, cardId: string, campaignId?: string) {
  const [row] = await suite.orm.em.getConnection().execute<{ n: string }[]>(
    `select coalesce(sum(credits_posted - debits_posted - debits_pending), 0)::text as n
         from "public_welfare"."book_account" where code like ?`,
    [`card:${cardId}:campaign:${campaignId ?? '%'}`],
  );
  return Number(row!.n);
}

/** The book's invariants and the reconciliation above it, both clean. */
export async function expectMoneyReconciled(suite: Suite, comuneId = COMUNE_A): Promise<void> {
  const report = await book.checkInvariants(suite.orm.em.fork());
  expect(report.problems).toEqual([]);
  const problems = await suite.services.reconciliation.check(suite.orm.em.fork(), comuneId);
  expect(problems).toEqual([]);
}

import type { CampaignInput } from '../src/modules/campaign/campaign.input.js';
import { CF } from './fixtures.js';
import { INCOME_HEADER, REGISTRY_HEADER, csv } from './helpers.js';

const DAY = 86_400_000;

/** A valid campaign of `comuneId`, open now for 30 days, with overrides. */
export function campaignInput(
  comuneId: string,
  overrides: Partial<CampaignInput> = {},
): CampaignInput {
  return {
    comuneId,
    kind: 'FOOD_VOUCHERS',
    title: 'Buoni spesa di prova',
    description: 'Per i nuclei con ISEE basso.',
    contacts: 'Comune di Prova – Servizi sociali',
    budgetCents: 100_000,
    excludedCategories: ['ALCOHOL', 'TOBACCO', 'GAMBLING', 'PHONE_TOPUP'],
    applicationsOpenAt: new Date(Date.now() - DAY),
    applicationsCloseAt: new Date(Date.now() + 30 * DAY),
    spendingFrom: '2026-01-01',
    spendingUntil: '2030-12-31',
    rules: {
      requireResidency: true,
      iseeThresholds: [
        { type: 'ORDINARIO', maxCents: 1_500_000 },
        { type: 'MINORENNI', maxCents: 1_500_000 },
      ],
      minSize: null,
      maxSize: null,
      excludePublicSupport: false,
    },
    amountSchedule: {
      mode: 'BY_SIZE',
      bySizeCents: [10_000, 20_000, 30_000],
      perAdultCents: 0,
      perMinorCents: 0,
      capCents: null,
    },
    requiredDocuments: [
      {
        code: 'ID',
        labelIt: 'Documento d’identità',
        labelEn: 'Identity document',
        mandatory: true,
      },
    ],
    declarations: [{ code: 'TRUE', textIt: 'Dichiaro il vero.', textEn: 'I declare the truth.' }],
    rankingCriteria: ['ISEE_ASC', 'MINORS_DESC'],
    decisionDays: 30,
    ...overrides,
  };
}

/** Income valid for years (the campaign checks only ISEE still valid today). */
export const LASTING_INCOME = csv([
  INCOME_HEADER,
  `${CF.mario};12.345,67;ORDINARIO;31/12/2099;NO`,
  `${CF.rosa};8000;SOCIOSANITARIO;31/12/2099;SI`,
  `${CF.sara};4.500,5;minorenni;31/12/2099;SI`,
]);

export { REGISTRY_HEADER };

/** A minimal valid PDF header (the subgraph recognises documents by their first bytes). */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

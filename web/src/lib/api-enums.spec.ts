// The value lists the pages iterate are the schema's enums, whole and in the schema's order.
import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as enums from './api-enums';

const schema = buildSchema(
  readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8'),
);
const valuesOf = (name: string): string[] => {
  const type = schema.getType(name);
  return isEnumType(type) ? type.getValues().map((v) => v.name) : [];
};

const LISTS: Record<string, readonly string[]> = {
  Role: enums.ROLES,
  OrganisationKind: enums.ORGANISATION_KINDS,
  OfferCategory: enums.OFFER_CATEGORIES,
  CampaignKind: enums.CAMPAIGN_KINDS,
  ShopCategory: enums.SHOP_CATEGORIES,
  AmountMode: enums.AMOUNT_MODES,
  IseeType: enums.ISEE_TYPES,
  ImportKind: enums.IMPORT_KINDS,
  ApplicationStatus: enums.APPLICATION_STATUSES,
  CardStatus: enums.CARD_STATUSES,
  OfferTarget: enums.OFFER_TARGETS,
  OfferPriceKind: enums.OFFER_PRICE_KINDS,
  OfferFormat: enums.OFFER_FORMATS,
  CataloguePricing: enums.CATALOGUE_PRICINGS,
  TutoringAttendance: enums.TUTORING_ATTENDANCES,
  PagopaNoticeStatus: enums.PAGOPA_NOTICE_STATUSES,
};

describe('the API enums the pages list', () => {
  for (const [name, list] of Object.entries(LISTS)) {
    it(`${name} is the schema's, in its order`, () => {
      expect(list).toEqual(valuesOf(name));
    });
  }

  it('narrows strings read from forms', () => {
    expect(enums.isOneOf(enums.ROLES, 'OWNER')).toBe(true);
    expect(enums.isOneOf(enums.ROLES, 'owner')).toBe(false);
    expect(enums.isOneOf(enums.ROLES, undefined)).toBe(false);
  });
});

// Operations of the money pages: shops, top-ups, the POS and the citizen's balance.
import { SHOP_CATEGORIES, type ShopCategory, isOneOf } from '../api-enums';
import { graphql } from './graphql';

export const MerchantShopsQuery = graphql(`
  query MerchantShops($merchantId: ID!) {
    merchantAccreditations(merchantId: $merchantId) {
      id
      campaignId
      businessName
      partitaIva
      iban
      categories
      pointsOfSale {
        name
        address
      }
      status
      createdAt
    }
    publishedCampaigns {
      id
      title
      comune {
        id
        name
      }
    }
  }
`);

export const RequestShopMutation = graphql(`
  mutation RequestShop($input: ShopAccreditationInput!) {
    requestShopAccreditation(input: $input) {
      id
      status
    }
  }
`);

export const CampaignShopsQuery = graphql(`
  query CampaignShops($campaignId: ID!) {
    campaignShops(campaignId: $campaignId) {
      id
      businessName
      partitaIva
      iban
      categories
      pointsOfSale {
        name
        address
      }
      status
      createdAt
      decidedAt
    }
  }
`);

export const DecideShopMutation = graphql(`
  mutation DecideShop($id: ID!, $status: AccreditationStatus!) {
    decideShopAccreditation(id: $id, status: $status) {
      id
      status
    }
  }
`);

export const TopUpCampaignMutation = graphql(`
  mutation TopUpCampaign($campaignId: ID!, $tranche: TrancheInput) {
    topUpCampaign(campaignId: $campaignId, tranche: $tranche) {
      creditedCents
      withoutCard
      lines {
        applicationId
        cardId
        creditedCents
        totalCreditedCents
        entitlementCents
      }
    }
  }
`);

export const PosShopsQuery = graphql(`
  query PosShops($merchantId: ID!) {
    merchantAccreditations(merchantId: $merchantId) {
      id
      campaignId
      businessName
      categories
      status
    }
    publishedCampaigns {
      id
      title
      comune {
        id
        name
      }
    }
  }
`);

export const CardPaymentByKeyQuery = graphql(`
  query CardPaymentByKey($key: ID!) {
    cardPaymentByKey(idempotencyKey: $key) {
      id
      cardLast4
      amountCents
      category
      status
      createdAt
    }
  }
`);

export const VoidPaymentMutation = graphql(`
  mutation VoidPayment($id: ID!) {
    voidCardPayment(id: $id) {
      id
      status
    }
  }
`);

export const MyBalanceQuery = graphql(`
  query MyBalance {
    myCardBalance {
      cardId
      campaignId
      campaignTitle
      creditedCents
      spentCents
      returnedCents
      availableCents
      spendingFrom
      spendingUntil
    }
  }
`);

export const CardMovementsQuery = graphql(`
  query MyCardMovements($cardId: ID!) {
    cardMovements(cardId: $cardId) {
      id
      campaignId
      code
      amountCents
      at
    }
  }
`);

/** True for a category of goods the API knows (a form's value). */
export function isShopCategory(value: unknown): value is ShopCategory {
  return isOneOf(SHOP_CATEGORIES, value);
}

export const CampaignTitleQuery = graphql(`
  query CampaignTitle($id: ID!) {
    campaign(id: $id) {
      id
      title
      comune {
        name
      }
    }
  }
`);

type Api = App.Locals['api'];

/**
 * Titles of campaigns (with their Comune) by id: the published ones first, then each closed one
 * (no longer in `publishedCampaigns`, still open for spending) by its own query.
 */
export async function campaignTitles(
  api: Api,
  ids: readonly string[],
  published: readonly { id: string; title: string; comune: { name: string } }[],
): Promise<Map<string, string>> {
  const titles = new Map(published.map((c) => [c.id, `${c.title} (${c.comune.name})`]));
  const missing = [...new Set(ids)].filter((id) => !titles.has(id));
  const found = await Promise.all(missing.map((id) => api(CampaignTitleQuery, { id })));
  for (const result of found) {
    const c = result.data?.campaign;
    if (c) titles.set(c.id, `${c.title} (${c.comune.name})`);
  }
  return titles;
}

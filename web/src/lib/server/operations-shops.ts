import { graphql } from '$lib/server/graphql';

/** The public list of shops where a measure's card can be spent (per measure or per Comune). */
export const PublicShopsQuery = graphql(`
  query PublicShops($campaignId: ID, $comuneId: ID) {
    publicShops(campaignId: $campaignId, comuneId: $comuneId) {
      id
      name
      categories
      pointsOfSale {
        name
        address
        latitude
        longitude
        mapUrl
      }
      measures {
        id
        title
      }
    }
  }
`);

/** A public measure's title and Comune, for the heading of its shops' page. */
export const ShopsMeasureQuery = graphql(`
  query ShopsMeasure($id: ID!) {
    campaign(id: $id) {
      id
      title
      status
      comune {
        id
        name
      }
    }
  }
`);

/** A Comune's name, for the heading of its shops' page. */
export const ShopsComuneQuery = graphql(`
  query ShopsComune($id: ID!) {
    organisation(id: $id) {
      id
      name
      kind
    }
  }
`);

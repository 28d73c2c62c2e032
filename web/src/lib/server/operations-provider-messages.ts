// Operations of a provider's messages (third-sector subgraph). Server-only.
import { graphql } from './graphql';

/** The provider's delivered messages, newest first (its ADMINs only). */
export const ProviderServiceMessagesQuery = graphql(`
  query ProviderServiceMessages($providerId: ID!) {
    providerServiceMessages(providerId: $providerId) {
      id
      language
      subject
      body
      createdAt
    }
  }
`);

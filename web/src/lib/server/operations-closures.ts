// Operations of the provider's closures (third-sector subgraph): the days its offers cannot be
// booked. Server-only.
import { graphql } from './graphql';

export const ProviderClosuresQuery = graphql(`
  query ProviderClosures($providerId: ID!) {
    providerClosures(providerId: $providerId) {
      id
      startsOn
      endsOn
      reason
    }
  }
`);

export const DeclareProviderClosureMutation = graphql(`
  mutation DeclareProviderClosure($providerId: ID!, $input: ProviderClosureInput!) {
    declareProviderClosure(providerId: $providerId, input: $input) {
      id
    }
  }
`);

export const RemoveProviderClosureMutation = graphql(`
  mutation RemoveProviderClosure($id: ID!) {
    removeProviderClosure(id: $id)
  }
`);

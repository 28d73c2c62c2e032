// The portal's operation creating an IES circuit (ies-circuit), typed by gql.tada.
import { graphql } from './graphql';

export const CreateIesCircuitMutation = graphql(`
  mutation CreateIesCircuit($input: IesCircuitCreateInput!) {
    createIesCircuit(input: $input) {
      id
      code
      managerId
    }
  }
`);

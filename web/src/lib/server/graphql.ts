// Typed GraphQL documents against the gateway's client-facing schema (../schema/api.graphql).
// `npx gql.tada generate output` refreshes src/graphql-env.d.ts from it; `gql.tada check` validates.
import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../../graphql-env.d.ts';

export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    ID: string;
    DateTimeISO: string;
    SafeInt: number;
  };
}>();

export type { ResultOf } from 'gql.tada';

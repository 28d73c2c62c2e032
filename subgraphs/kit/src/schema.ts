import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { refuseBadText } from './text.js';

/** The Federation 2 header prepended to every subgraph's SDL. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@override"])';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = GraphQLResolverMap<any>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers: type-graphql builds the
 * schema (with `@key` and friends as AST directives), it is printed with its directives, the
 * federation header is prepended, and Apollo's `buildSubgraphSchema` adds `_entities`/`_service`
 * with the `__resolveReference` functions merged in. Every String and ID argument is checked for
 * control characters and lone surrogates before its resolver runs (text.ts).
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ validate: false, ...options, skipCheck: true });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as ReferenceResolvers;
  for (const [typeName, fields] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(fields as object) };
  }
  return refuseBadText(buildSubgraphSchema({ typeDefs, resolvers }));
}

/** Writes the subgraph's SDL as composition sees it (`schema.graphql`, committed). */
export async function emitSubgraphSdl(schema: GraphQLSchema, path: string): Promise<void> {
  await writeFile(path, `${printSubgraphSchema(schema).trim()}\n`, 'utf8');
}

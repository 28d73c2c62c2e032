import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { execute, parse } from 'graphql';
import { Arg, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { buildFederatedSchema } from '../src/schema.js';
import { printSubgraphSchema } from '@apollo/subgraph';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A thing.' })
class Thing {
  @Field(() => ID, { description: 'Its id.' })
  id!: string;

  @Field({ description: 'Its name.' })
  name!: string;
}

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => Thing, { nullable: true, description: 'One thing.' })
  thing(@Arg('id', () => ID) id: string): Thing {
    return Object.assign(new Thing(), { id, name: `thing ${id}` });
  }
}

describe('buildFederatedSchema', () => {
  it('keeps @key, documents fields and resolves references', async () => {
    const schema = await buildFederatedSchema(
      { resolvers: [ThingResolver] },
      {
        Thing: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `ref ${ref.id}` }),
        },
      },
    );
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).toContain('"""Its name."""');
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');

    const direct = await execute({ schema, document: parse('{ thing(id: "1") { name } }') });
    expect(direct.data).toEqual({ thing: { name: 'thing 1' } });

    const entities = await execute({
      schema,
      document: parse(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id name } } }',
      ),
      variableValues: { r: [{ __typename: 'Thing', id: '7' }] },
    });
    expect(entities.errors).toBeUndefined();
    expect(entities.data).toEqual({ _entities: [{ id: '7', name: 'ref 7' }] });
  });
});

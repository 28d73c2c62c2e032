import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { CataloguePage, SynonymGroup } from './catalogue.service.js';
import { CatalogueSearchInput } from './catalogue.input.js';
import { CataloguePageType, CatalogueSynonymGroupType } from './catalogue.type.js';

/** The public catalogue. */
@Resolver(() => CataloguePageType)
export class CatalogueResolver {
  constructor(private readonly services: Services) {}

  @Query(() => CataloguePageType, {
    description:
      'The public catalogue (anonymous too): offers PUBLISHED whose provider is accredited by the offer’s Comune now (a suspension or expiry hides them at once), searched and filtered, with facet counts. BAD_USER_INPUT for a malformed filter.',
  })
  catalogue(
    @Arg('input', () => CatalogueSearchInput, {
      nullable: true,
      description: 'Search text, filters and page.',
    })
    input: CatalogueSearchInput | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<CataloguePage> {
    return this.services.catalogue.search(ctx.em, input ?? {});
  }
}

/** The synonyms the catalogue search uses, and a Comune's own additions. */
@Resolver(() => CatalogueSynonymGroupType)
export class CatalogueSynonymResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [CatalogueSynonymGroupType], {
    description:
      'The synonym groups a search in the Comune’s catalogue uses (public): the built-in Italian list, then the Comune’s own, oldest first.',
  })
  catalogueSynonyms(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SynonymGroup[]> {
    return this.services.catalogue.synonyms(ctx.em, comuneId);
  }

  @Mutation(() => CatalogueSynonymGroupType, {
    description:
      'A MANAGER of the Comune adds a synonym group to its catalogue’s search (2 to 10 different words or phrases of up to three words; at most 200 groups): the next search uses it. BAD_USER_INPUT on `words`; FORBIDDEN for anyone else.',
  })
  addCatalogueSynonyms(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('words', () => [String], { description: 'Words or phrases taken as alternatives.' })
    words: string[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<SynonymGroup> {
    return this.services.catalogue.addSynonyms(ctx.em, ctx.caller, comuneId, words);
  }

  @Mutation(() => Boolean, {
    description:
      'A MANAGER of the Comune removes one of its synonym groups (true). NOT_FOUND for anyone else.',
  })
  removeCatalogueSynonyms(
    @Arg('id', () => ID, { description: 'The group.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.catalogue.removeSynonyms(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => Boolean, { description: 'True for the built-in list (not editable).' })
  builtIn(@Root() group: SynonymGroup): boolean {
    return group.id === null;
  }
}

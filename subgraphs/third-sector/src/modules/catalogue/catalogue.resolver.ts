import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { CataloguePage } from './catalogue.service.js';
import { CatalogueSearchInput } from './catalogue.input.js';
import { CataloguePageType } from './catalogue.type.js';

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

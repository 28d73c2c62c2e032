import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { OfferRecord } from '../offer/offer.repository.js';
import { OfferType } from '../offer/offer.type.js';
import type { AccreditationTariff } from './accreditation-tariff.entity.js';
import { AccreditationTariffInput, AccreditationTariffType } from './accreditation-tariff.type.js';

/** The tariffs of a Comune's accreditation call. */
@Resolver(() => AccreditationTariffType)
export class AccreditationTariffResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [AccreditationTariffType], {
    description:
      'The tariffs of a Comune’s accreditation call, by category and kind of price. Public (providers read them before pricing).',
  })
  accreditationTariffs(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationTariff[]> {
    return this.services.tariffs.list(ctx.em, comuneId);
  }

  @Query(() => [OfferType], {
    description:
      'The Comune’s offers (any status but DRAFT) priced above its tariffs, newest first: lowering a tariff changes no offer. The Comune’s staff only: FORBIDDEN otherwise.',
  })
  async offersAboveTariff(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<OfferRecord[]> {
    const ids = await this.services.tariffs.offersAbove(ctx.em, ctx.caller, comuneId);
    return this.services.offers.byIds(ctx.em, ids);
  }

  @Mutation(() => [AccreditationTariffType], {
    description:
      'MANAGER of the Comune: sets (or removes, with a null price) the tariff of a category and kind of price; returns the Comune’s tariffs. BAD_USER_INPUT lists every invalid field (nothing written); FORBIDDEN for anyone else.',
  })
  setAccreditationTariff(
    @Arg('input', () => AccreditationTariffInput, { description: 'The tariff.' })
    input: AccreditationTariffInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationTariff[]> {
    return this.services.tariffs.set(ctx.em, ctx.caller, input);
  }
}

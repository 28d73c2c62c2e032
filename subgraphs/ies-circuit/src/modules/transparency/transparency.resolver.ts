import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Impact, Transparency } from './transparency.service.js';
import { ImpactType, TransparencyType } from './transparency.type.js';

/** The circuits’ public figures. */
@Resolver()
export class TransparencyResolver {
  constructor(private readonly services: Services) {}

  @Query(() => TransparencyType, {
    description:
      'A circuit’s reserve, issuance, circulation, fees and their uses, members. Public. NOT_FOUND for an unknown code.',
  })
  iesTransparency(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Transparency> {
    return this.services.transparency.figures(ctx.em, code);
  }

  @Query(() => ImpactType, {
    description:
      'A circuit’s impact: local spending, members, circulation, participation. Public. NOT_FOUND for an unknown code.',
  })
  iesImpact(
    @Arg('code', { description: 'The circuit’s public code.' }) code: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Impact> {
    return this.services.transparency.impact(ctx.em, code);
  }
}

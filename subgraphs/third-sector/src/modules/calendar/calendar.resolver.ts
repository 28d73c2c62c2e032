import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { ComunePatronDay, ProviderClosure } from './calendar.entity.js';
import {
  ComunePatronDayInput,
  ComunePatronDayType,
  ProviderClosureInput,
  ProviderClosureType,
} from './calendar.type.js';

@Resolver()
export class CalendarResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ComunePatronDayType, {
    nullable: true,
    description: 'The Comune’s patron saint day (null when not set). Public.',
  })
  comunePatronDay(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ComunePatronDay | null> {
    return this.services.calendar.patronDay(ctx.em, comuneId);
  }

  @Query(() => [ProviderClosureType], {
    description: 'The provider’s closures ending today or later, earliest first. Public.',
  })
  providerClosures(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProviderClosure[]> {
    return this.services.calendar.closures(ctx.em, providerId);
  }

  @Mutation(() => ComunePatronDayType, {
    description:
      'Sets (or replaces) the Comune’s patron saint day: its MANAGER only (FORBIDDEN otherwise). BAD_USER_INPUT lists every invalid field, nothing written.',
  })
  setComunePatronDay(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('input', () => ComunePatronDayInput) input: ComunePatronDayInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ComunePatronDay> {
    return this.services.calendar.setPatronDay(ctx.em, ctx.caller, comuneId, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Removes the Comune’s patron saint day (its MANAGER only: FORBIDDEN otherwise): true when one was set, false when none was.',
  })
  removeComunePatronDay(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.calendar.removePatronDay(ctx.em, ctx.caller, comuneId);
  }

  @Mutation(() => ProviderClosureType, {
    description:
      'Declares days the provider is closed (its ADMIN only: FORBIDDEN otherwise), today or later, a year at most, with a reason. BAD_USER_INPUT lists every invalid field, nothing written. Bookings already made on those days are kept.',
  })
  declareProviderClosure(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Arg('input', () => ProviderClosureInput) input: ProviderClosureInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProviderClosure> {
    return this.services.calendar.declareClosure(ctx.em, ctx.caller, providerId, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Removes one of the provider’s closures (its ADMIN only: FORBIDDEN otherwise; NOT_FOUND when missing).',
  })
  removeProviderClosure(
    @Arg('id', () => ID, { description: 'The closure.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.calendar.removeClosure(ctx.em, ctx.caller, id);
  }
}

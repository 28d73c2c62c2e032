import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { TutoringProgramme } from './tutoring-programme.entity.js';
import {
  programmeArg,
  TutoringProgrammeInput,
  TutoringProgrammeUpdate,
} from './tutoring-programme.input.js';
import { TutoringProgrammeType } from './tutoring-programme.type.js';

/** Programmes: the public list, the Comune's and the provider's lists, the Comune's edits. */
@Resolver(() => TutoringProgrammeType)
export class TutoringProgrammeResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringProgrammeType], {
    description: 'OPEN programmes not yet ended, of one Comune or of all, by start. Public.',
  })
  tutoringProgrammes(
    @Arg('comuneId', () => ID, { nullable: true, description: 'Only this Comune’s.' })
    comuneId: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.programmes.open(ctx.em, comuneId ?? null);
  }

  @Query(() => TutoringProgrammeType, {
    nullable: true,
    description: 'One programme (public); null when missing.',
  })
  tutoringProgramme(
    @Arg('id', () => ID, programmeArg) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme | null> {
    return this.services.tutoring.programmes.get(ctx.em, id);
  }

  @Query(() => [TutoringProgrammeType], {
    description: 'The programmes a Comune funds. Its staff only: FORBIDDEN otherwise.',
  })
  comuneTutoringProgrammes(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.programmes.forComune(ctx.em, ctx.caller, comuneId);
  }

  @Query(() => [TutoringProgrammeType], {
    description: 'The programmes a provider runs. Its ADMIN and TUTORs only: FORBIDDEN otherwise.',
  })
  providerTutoringProgrammes(
    @Arg('providerId', () => ID, { description: 'The provider.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme[]> {
    return this.services.tutoring.programmes.forProvider(ctx.em, ctx.caller, providerId);
  }

  @Mutation(() => TutoringProgrammeType, {
    description:
      'The Comune’s MANAGER creates a programme run by a provider the Comune accredits today. BAD_USER_INPUT lists every invalid field.',
  })
  createTutoringProgramme(
    @Arg('input', () => TutoringProgrammeInput, { description: 'The programme.' })
    input: TutoringProgrammeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return this.services.tutoring.programmes.create(ctx.em, ctx.caller, input);
  }

  @Mutation(() => TutoringProgrammeType, {
    description:
      'The Comune’s MANAGER edits a programme (the budget not below the minutes planned). NOT_FOUND for another Comune.',
  })
  updateTutoringProgramme(
    @Arg('id', () => ID, programmeArg) id: string,
    @Arg('input', () => TutoringProgrammeUpdate, { description: 'The new values.' })
    input: TutoringProgrammeUpdate,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringProgramme> {
    return this.services.tutoring.programmes.update(ctx.em, ctx.caller, id, input);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The funding Comune.' })
  comune(@Root() row: TutoringProgramme): OrganisationRef {
    return { id: row.comuneId };
  }

  @FieldResolver(() => OrganisationRef, { description: 'The provider running it.' })
  provider(@Root() row: TutoringProgramme): OrganisationRef {
    return { id: row.providerId };
  }
}

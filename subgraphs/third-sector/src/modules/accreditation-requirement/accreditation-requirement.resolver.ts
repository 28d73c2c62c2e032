import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef } from '../shared/references.type.js';
import type { AccreditationRequirement } from './accreditation-requirement.entity.js';
import { AccreditationRequirementInput } from './accreditation-requirement.input.js';
import { AccreditationRequirementType } from './accreditation-requirement.type.js';

/** The Comune's checklist. */
@Resolver(() => AccreditationRequirementType)
export class AccreditationRequirementResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [AccreditationRequirementType], {
    description:
      'A Comune’s accreditation checklist, by position: public (providers read it before asking). Retired items only for the Comune’s staff, with `includeRetired`.',
  })
  accreditationRequirements(
    @Arg('comuneId', () => ID, { description: 'The Comune.' }) comuneId: string,
    @Arg('includeRetired', () => Boolean, {
      nullable: true,
      description: 'Also retired items (staff of the Comune only).',
    })
    includeRetired: boolean | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationRequirement[]> {
    return this.services.requirements.list(ctx.em, ctx.caller, comuneId, includeRetired ?? false);
  }

  @Query(() => [OrganisationRef], {
    description: 'The Comuni accepting accreditation requests (with an active checklist). Public.',
  })
  async accreditingComuni(@Ctx() ctx: SubgraphContext): Promise<OrganisationRef[]> {
    return (await this.services.requirements.accreditingComuni(ctx.em)).map((id) => ({ id }));
  }

  @Mutation(() => AccreditationRequirementType, {
    description:
      'MANAGER of the Comune: adds a checklist item, or edits the item with that code while no request has answered it (CONFLICT afterwards: retire it and add a new code). FORBIDDEN for anyone else.',
  })
  saveAccreditationRequirement(
    @Arg('input', () => AccreditationRequirementInput, { description: 'The item.' })
    input: AccreditationRequirementInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationRequirement> {
    return this.services.requirements.save(ctx.em, ctx.caller, input);
  }

  @Mutation(() => AccreditationRequirementType, {
    description:
      'MANAGER of the Comune: retires a checklist item (new requests no longer answer it). Idempotent. NOT_FOUND for another Comune.',
  })
  retireAccreditationRequirement(
    @Arg('id', () => ID, { description: 'The checklist item.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccreditationRequirement> {
    return this.services.requirements.retire(ctx.em, ctx.caller, id);
  }

  @FieldResolver(() => OrganisationRef, {
    description: 'The Comune whose checklist it belongs to.',
  })
  comune(@Root() row: AccreditationRequirement): OrganisationRef {
    return { id: row.comuneId };
  }

  @FieldResolver(() => Boolean, {
    description: 'True once a request has answered it (it can no longer be edited).',
  })
  async inUse(
    @Root() row: AccreditationRequirement,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return (await this.services.requirements.inUse(ctx.em, [row.id])).has(row.id);
  }
}

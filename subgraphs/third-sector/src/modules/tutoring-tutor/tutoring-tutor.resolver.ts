import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { TutoringProgramme } from '../tutoring-programme/tutoring-programme.entity.js';
import { programmeArg } from '../tutoring-programme/tutoring-programme.input.js';
import { TutoringProgrammeType } from '../tutoring-programme/tutoring-programme.type.js';
import type { TutoringTutor } from './tutoring-tutor.entity.js';
import { TutoringTutorType } from './tutoring-tutor.type.js';

/** A programme's tutors: the ADMIN's assignment and `TutoringProgramme.tutors`. */
@Resolver(() => TutoringProgrammeType)
export class TutoringTutorResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => TutoringTutorType, {
    description:
      'The provider’s ADMIN assigns a TUTOR member to a programme (again for the same person: renames).',
  })
  assignTutoringTutor(
    @Arg('programmeId', () => ID, programmeArg) programmeId: string,
    @Arg('personId', () => ID, { description: 'The tutor’s identity Person id.' }) personId: string,
    @Arg('displayName', () => String, {
      description: 'The name families see, 2 to 120 characters.',
    })
    displayName: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringTutor> {
    return this.services.tutoring.tutors.assign(
      ctx.em,
      ctx.caller,
      programmeId,
      personId,
      displayName,
    );
  }

  @FieldResolver(() => [TutoringTutorType], { description: 'The tutors, by name.' })
  tutors(@Root() row: TutoringProgramme, @Ctx() ctx: SubgraphContext): Promise<TutoringTutor[]> {
    return this.services.tutoring.tutors.ofProgramme(ctx.em, row.id);
  }
}

import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { TutoringEnrolment } from './tutoring-enrolment.entity.js';
import { TutoringEnrolmentInput } from './tutoring-enrolment.input.js';
import { TutoringEnrolmentType } from './tutoring-enrolment.type.js';

/** A family's pupils. */
@Resolver(() => TutoringEnrolmentType)
export class TutoringEnrolmentResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [TutoringEnrolmentType], {
    description: 'The caller’s enrolled pupils (a family sees only its own).',
  })
  myTutoringPupils(@Ctx() ctx: SubgraphContext): Promise<TutoringEnrolment[]> {
    return this.services.tutoring.enrolments.ofFamily(ctx.em, ctx.caller);
  }

  @Mutation(() => TutoringEnrolmentType, {
    description:
      'A family (a citizen with a codice fiscale) enrols a pupil in an OPEN programme. CONFLICT when already enrolled.',
  })
  enrolTutoringPupil(
    @Arg('input', () => TutoringEnrolmentInput, { description: 'The pupil.' })
    input: TutoringEnrolmentInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<TutoringEnrolment> {
    return this.services.tutoring.enrolments.enrol(ctx.em, ctx.caller, input);
  }
}

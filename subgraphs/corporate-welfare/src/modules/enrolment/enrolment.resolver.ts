import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import type { EnrolmentJob, EnrolmentRejection } from './enrolment.entity.js';
import { EnrolmentJobType, EnrolmentRejectionType } from './enrolment.type.js';

@Resolver(() => EnrolmentJobType)
export class EnrolmentResolver {
  constructor(private readonly services: Services) {}

  @Query(() => EnrolmentJobType, {
    nullable: true,
    description:
      'One enrolment job of the employer (null when it does not exist or is another employer’s). Its HR only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed employer id, FORBIDDEN otherwise.',
  })
  enrolmentJob(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Arg('id', () => ID, { description: 'The job id answered by the upload route.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EnrolmentJob | null> {
    return this.services.enrolment.findJob(ctx.em, ctx.caller, employerId, id);
  }

  @Query(() => [EnrolmentJobType], {
    description: 'The employer’s enrolment jobs, newest first (at most 50). Its HR only.',
  })
  enrolmentJobs(
    @Arg('employerId', () => ID, { description: 'The employer (identity Organisation id).' })
    employerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EnrolmentJob[]> {
    return this.services.enrolment.listJobs(ctx.em, ctx.caller, employerId);
  }

  @FieldResolver(() => [EnrolmentRejectionType], {
    description: 'Rejected rows and file problems by line: the first 200.',
  })
  rejections(
    @Root() job: EnrolmentJob,
    @Ctx() ctx: SubgraphContext,
  ): Promise<EnrolmentRejection[]> {
    return this.services.enrolment.rejections(ctx.em, job);
  }
}

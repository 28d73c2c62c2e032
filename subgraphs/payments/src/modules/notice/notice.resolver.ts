import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { Notice } from './notice.entity.js';
import { NoticeInput } from './notice.input.js';
import { NoticeType } from './notice.type.js';

@Resolver(() => NoticeType)
export class NoticeResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [NoticeType], {
    description:
      'The organisation’s notices, newest first (at most 100). Its members only: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, FORBIDDEN otherwise.',
  })
  paymentsNotices(
    @Arg('organisationId', () => ID, {
      description: 'The organisation (identity Organisation id).',
    })
    organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Notice[]> {
    return this.services.notices.list(ctx.em, ctx.caller, organisationId);
  }

  @Mutation(() => NoticeType, {
    description:
      'Posts a notice for the organisation’s members (a member of it: FORBIDDEN otherwise). BAD_USER_INPUT lists every invalid field; nothing is written then.',
  })
  postPaymentsNotice(
    @Arg('input', () => NoticeInput) input: NoticeInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<Notice> {
    return this.services.notices.post(ctx.em, ctx.caller, input);
  }
}

import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { MessagePage } from './message-query.service.js';
import { MessagePageType, MessageType } from './message.type.js';

function toGraphql(page: MessagePage): MessagePageType {
  return {
    nodes: page.nodes,
    totalCount: page.totalCount,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  };
}

@Resolver(() => MessageType)
export class MessageResolver {
  constructor(private readonly services: Services) {}

  @Query(() => MessagePageType, {
    description:
      'The messages the Comune sent or is sending (email, SMS, personal area), newest first, with their delivery status. Staff of the Comune (OPERATOR, MANAGER) and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous. BAD_USER_INPUT for `first` outside 1 to 200 or a malformed cursor.',
  })
  sentMessages(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: 50,
      description: 'Page size: 1 to 200 (50 by default).',
    })
    first: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The `pageInfo.endCursor` of the previous page.',
    })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MessagePageType> {
    return this.services.messageQueries
      .sent(ctx.em, ctx.caller, comuneId, first ?? undefined, after)
      .then(toGraphql);
  }

  @Query(() => MessagePageType, {
    description:
      'The caller’s own messages in the personal area of the portal (PORTAL messages delivered to their codice fiscale), newest first, from every Comune. UNAUTHENTICATED when anonymous; empty for a person whose codice fiscale is not known (staff known by email only). BAD_USER_INPUT for `first` outside 1 to 200 or a malformed cursor.',
  })
  myMessages(
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: 50,
      description: 'Page size: 1 to 200 (50 by default).',
    })
    first: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The `pageInfo.endCursor` of the previous page.',
    })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MessagePageType> {
    return this.services.messageQueries
      .mine(ctx.em, ctx.caller, first ?? undefined, after)
      .then(toGraphql);
  }
}

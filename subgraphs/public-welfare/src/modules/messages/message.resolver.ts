import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { MessagePage } from './message-query.service.js';
import { MessagePageType, MessageTemplate, MessageType } from './message.type.js';

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
      'The messages the Comune sent or is sending (email, SMS, personal area), newest first, with their delivery status; optionally only one kind (`template`) and/or those about one campaign (`campaignId`). Staff of the Comune (OPERATOR, MANAGER) and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous. BAD_USER_INPUT for `first` outside 1 to 200, a malformed cursor, an unknown `template` or a malformed `campaignId`.',
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
    @Arg('template', () => MessageTemplate, {
      nullable: true,
      description:
        'Only the messages of this kind, e.g. CREDIT_EXPIRING: the reminders card holders got 7 days before a campaign’s spending window ends. Every kind when null. Keep the same value when paging with `after`.',
    })
    template: string | null,
    @Arg('campaignId', () => ID, {
      nullable: true,
      description:
        'Only the messages written about this campaign (its applications, decisions, payments and credit reminders). Every campaign when null; a campaign of another Comune matches nothing. Keep the same value when paging with `after`.',
    })
    campaignId: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<MessagePageType> {
    return this.services.messageQueries
      .sent(ctx.em, ctx.caller, comuneId, first ?? undefined, after, { template, campaignId })
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

  @Query(() => String, {
    description:
      'The language the Comuni write the caller’s next messages in (email, SMS, personal area): `it` or `en` (`it` until chosen with `setMyMessageLanguage`, and for a person whose codice fiscale is not known). UNAUTHENTICATED when anonymous.',
  })
  myMessageLanguage(@Ctx() ctx: SubgraphContext): Promise<string> {
    return this.services.messageQueries.language(ctx.em, ctx.caller);
  }

  @Mutation(() => String, {
    description:
      'Sets the language the Comuni write the caller’s next messages in (`it` or `en`; Italian until chosen); returns it. Each message is written in one language only. BAD_USER_INPUT (field `language`) for any other value; FORBIDDEN for a person whose codice fiscale is not known; UNAUTHENTICATED when anonymous.',
  })
  setMyMessageLanguage(
    @Arg('language', () => String, { description: '`it` or `en`.' }) language: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string> {
    return this.services.messageQueries.setLanguage(ctx.em, ctx.caller, language);
  }
}

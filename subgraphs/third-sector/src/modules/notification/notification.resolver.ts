import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { PortalMessageRow } from './notification.repository.js';
import { ServiceMessageType } from './notification.type.js';

/**
 * The caller's messages of the third-sector services, a provider's messages, and the language
 * they are written in.
 */
@Resolver(() => ServiceMessageType)
export class NotificationResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ServiceMessageType], {
    description:
      'The caller’s messages of the third-sector services delivered to their personal area, newest first (at most 50). UNAUTHENTICATED when anonymous.',
  })
  async myServiceMessages(@Ctx() ctx: SubgraphContext): Promise<ServiceMessageType[]> {
    const rows = await this.services.notifications.mine(ctx.em, ctx.caller);
    return rows.map(toMessage);
  }

  @Query(() => [ServiceMessageType], {
    description:
      'The messages of a provider (cooperative or association) delivered to its area, newest first (at most 50): accreditation decisions, offers withdrawn or reinstated by the Comune, booking requests received and bookings cancelled by families; each in the language of the provider’s admin it was written for. For the provider’s ADMINs only: FORBIDDEN for anyone else, BAD_USER_INPUT (field `providerId`) for a malformed id, UNAUTHENTICATED when anonymous.',
  })
  async providerServiceMessages(
    @Arg('providerId', () => ID, { description: 'The provider organisation.' }) providerId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ServiceMessageType[]> {
    const rows = await this.services.notifications.forProvider(ctx.em, ctx.caller, providerId);
    return rows.map(toMessage);
  }

  @Query(() => String, {
    description:
      'The language of the caller’s next third-sector messages: `it` or `en` (`it` until chosen with `setMyNotificationLanguage`). UNAUTHENTICATED when anonymous.',
  })
  myNotificationLanguage(@Ctx() ctx: SubgraphContext): Promise<string> {
    return this.services.notifications.language(ctx.em, ctx.caller);
  }

  @Mutation(() => String, {
    description:
      'Sets the language of the caller’s next third-sector messages (`it` or `en`; Italian until chosen); returns it. BAD_USER_INPUT (field `language`) for any other value; UNAUTHENTICATED when anonymous.',
  })
  setMyNotificationLanguage(
    @Arg('language', () => String, { description: '`it` or `en`.' }) language: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string> {
    return this.services.notifications.setLanguage(ctx.em, ctx.caller, language);
  }
}

function toMessage(r: PortalMessageRow): ServiceMessageType {
  return {
    id: r.id,
    language: r.language,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
  };
}

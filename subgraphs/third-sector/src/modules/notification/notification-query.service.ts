import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { requirePerson, requireProviderAdmin } from '@welfare/kit/access';
import {
  languagesOf,
  portalMessages,
  saveLanguage,
  type PortalMessageRow,
} from './notification.repository.js';
import { personRecipient, providerRecipient } from './notification.service.js';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from './notification.templates.js';

/** How many of a person's messages the portal shows. */
export const MY_MESSAGES_LIMIT = 50;

/** What people read of their notifications, and the language they choose for them. */
export class NotificationQueryService {
  /** The caller's delivered messages, newest first (UNAUTHENTICATED when anonymous). */
  mine(em: EntityManager, caller: Caller): Promise<PortalMessageRow[]> {
    const person = requirePerson(caller);
    return portalMessages(em, personRecipient(person.personId), MY_MESSAGES_LIMIT);
  }

  /** The language of the caller's next notifications: `it` until they choose. */
  async language(em: EntityManager, caller: Caller): Promise<NotificationLanguage> {
    const person = requirePerson(caller);
    const chosen = await languagesOf(em, [person.personId]);
    return chosen.get(person.personId) ?? 'it';
  }

  /**
   * The provider's delivered messages (accreditation decided, offers withdrawn or reinstated by the
   * Comune, booking requests and cancellations), newest first: for the provider's ADMINs only (as
   * its bookings; its TUTORs see their lessons, not the provider's affairs). UNAUTHENTICATED when
   * anonymous, BAD_USER_INPUT for a malformed id, FORBIDDEN for anyone else.
   */
  forProvider(em: EntityManager, caller: Caller, providerId: string): Promise<PortalMessageRow[]> {
    requireProviderAdmin(caller, providerId);
    return portalMessages(em, providerRecipient(providerId), MY_MESSAGES_LIMIT);
  }

  /** Sets the language of the caller's next notifications (`it` or `en`). */
  async setLanguage(
    em: EntityManager,
    caller: Caller,
    language: string,
  ): Promise<NotificationLanguage> {
    const person = requirePerson(caller);
    if (!(NOTIFICATION_LANGUAGES as readonly string[]).includes(language)) {
      new FieldErrors()
        .add(
          'language',
          'Scegli italiano (it) o inglese (en).',
          'Choose Italian (it) or English (en).',
        )
        .throwIfAny();
    }
    await saveLanguage(em, person.personId, language as NotificationLanguage);
    return language as NotificationLanguage;
  }
}

import { error } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { findError } from '$lib/server/errors';
import { failWith, invalid, text } from '$lib/server/forms';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import {
  MyMessageLanguageQuery,
  MyNotificationLanguageQuery,
  SetMyMessageLanguageMutation,
  SetMyNotificationLanguageMutation,
} from '$lib/server/operations-household';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const MyMessagesQuery = graphql(`
  query MyMessages($first: Int, $after: String) {
    myMessages(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        subject
        body
        language
        createdAt
        sentAt
      }
    }
  }
`);

/** The messages of the third-sector services (bookings, tutoring), found by the person. */
const MyServiceMessagesQuery = graphql(`
  query MyServiceMessages {
    myServiceMessages {
      id
      language
      subject
      body
      createdAt
    }
  }
`);

/**
 * The citizen's own messages (PORTAL channel): the Comune's, found by the codice fiscale of the
 * session, and on the first page the third-sector services' (by the person), in their own list.
 */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const after = event.url.searchParams.get('after') ?? '';
  const hasFiscalCode = Boolean(viewer.person.fiscalCode);
  const [result, services, language, comuneLanguage] = await Promise.all([
    event.locals.api(MyMessagesQuery, { first: PAGE_SIZE, after: after || null }),
    after ? null : event.locals.api(MyServiceMessagesQuery, {}),
    after ? null : event.locals.api(MyNotificationLanguageQuery, {}),
    after || !hasFiscalCode ? null : event.locals.api(MyMessageLanguageQuery, {}),
  ]);
  if (!result.data?.myMessages && findError(result.errors, 'BAD_USER_INPUT') && after) {
    error(400, 'Bad cursor');
  }
  return {
    after,
    // A person without a codice fiscale (staff known by email only) has no personal area.
    hasFiscalCode,
    messages: result.data?.myMessages ?? null,
    unavailable: result.unavailable || !result.data?.myMessages,
    serviceMessages: services?.data?.myServiceMessages ?? null,
    serviceMessagesUnavailable: services !== null && !services.data?.myServiceMessages,
    // The language of the next messages (`it` until chosen; null when unavailable): the Comuni's
    // (public-welfare) for a person with a codice fiscale, else the services' (third-sector).
    language:
      (hasFiscalCode
        ? comuneLanguage?.data?.myMessageLanguage
        : language?.data?.myNotificationLanguage) ?? null,
  };
};

export const actions: Actions = {
  /**
   * The language of the next messages, `it` or `en`: one choice for both the Comuni's messages
   * (public-welfare; only for a person with a codice fiscale) and the services' (third-sector).
   */
  language: async (event) => {
    const viewer = requireViewer(event);
    const data = await event.request.formData();
    const values = { language: text(data, 'language') };
    if (values.language !== 'it' && values.language !== 'en') {
      return invalid(
        { message: both(m.form_invalid), fields: { language: both(m.required_field) } },
        values,
      );
    }
    const [services, comune] = await Promise.all([
      event.locals.api(SetMyNotificationLanguageMutation, values),
      viewer.person.fiscalCode ? event.locals.api(SetMyMessageLanguageMutation, values) : null,
    ]);
    if (!services.data?.setMyNotificationLanguage) return failWith(services, ['language'], values);
    if (comune && !comune.data?.setMyMessageLanguage) return failWith(comune, ['language'], values);
    return { languageSaved: true };
  },
};

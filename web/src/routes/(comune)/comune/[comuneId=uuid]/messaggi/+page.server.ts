import { error } from '@sveltejs/kit';
import type { ApiEnum } from '$lib/api-enums';
import { enumLabelOf } from '$lib/enum-labels';
import { findError } from '$lib/server/errors';
import { graphql } from '$lib/server/graphql';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const SentMessagesQuery = graphql(`
  query SentMessages($comuneId: ID!, $first: Int, $after: String, $template: MessageTemplate) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    sentMessages(comuneId: $comuneId, first: $first, after: $after, template: $template) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        channel
        recipient
        subject
        body
        status
        attempts
        createdAt
        sentAt
        lastError
      }
    }
  }
`);

export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  requireComuneStaff(event, comuneId);
  const after = event.url.searchParams.get('after') ?? '';
  // The kind of message shown (`?tipo=CREDIT_EXPIRING`): every kind when empty.
  const kind = event.url.searchParams.get('tipo') ?? '';
  if (kind && enumLabelOf('MessageTemplate', kind) === undefined) error(400, 'Bad kind');
  const template = (kind || null) as ApiEnum<'MessageTemplate'> | null;
  const result = await event.locals.api(SentMessagesQuery, {
    comuneId,
    first: PAGE_SIZE,
    after: after || null,
    template,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  // A stale or forged cursor: the API refuses it.
  if (!result.data?.sentMessages && findError(result.errors, 'BAD_USER_INPUT') && after) {
    error(400, 'Bad cursor');
  }
  return {
    comuneId,
    comune,
    after,
    kind: template,
    messages: result.data?.sentMessages ?? null,
    unavailable: result.unavailable || !result.data?.sentMessages,
  };
};

import { error } from '@sveltejs/kit';
import type { ApiEnum } from '$lib/api-enums';
import { enumLabelOf } from '$lib/enum-labels';
import { findError } from '$lib/server/errors';
import { graphql } from '$lib/server/graphql';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const SentMessagesQuery = graphql(`
  query SentMessages(
    $comuneId: ID!
    $first: Int
    $after: String
    $template: MessageTemplate
    $campaignId: ID
  ) {
    organisation(id: $comuneId) {
      id
      kind
      name
    }
    campaigns(comuneId: $comuneId) {
      id
      title
    }
    sentMessages(
      comuneId: $comuneId
      first: $first
      after: $after
      template: $template
      campaignId: $campaignId
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        template
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
  // The campaign (`?misura=<id>`): every campaign when empty; one of the Comune's, else 400.
  const campaignId = event.url.searchParams.get('misura') ?? '';
  if (campaignId && !isUuid(campaignId)) error(400, 'Bad campaign');
  const result = await event.locals.api(SentMessagesQuery, {
    comuneId,
    first: PAGE_SIZE,
    after: after || null,
    template,
    campaignId: campaignId || null,
  });
  throwIfForbidden(result);
  const comune = result.data?.organisation ?? null;
  if (!result.unavailable && (!comune || comune.kind !== 'COMUNE')) error(404, 'Not found');
  const campaigns = result.data?.campaigns ?? null;
  if (campaignId && campaigns && !campaigns.some((c) => c.id === campaignId)) {
    error(400, 'Bad campaign');
  }
  // A stale or forged cursor: the API refuses it.
  if (!result.data?.sentMessages && findError(result.errors, 'BAD_USER_INPUT') && after) {
    error(400, 'Bad cursor');
  }
  return {
    comuneId,
    comune,
    after,
    kind: template,
    campaignId: campaignId || null,
    campaigns: campaigns ?? [],
    messages: result.data?.sentMessages ?? null,
    unavailable: result.unavailable || !result.data?.sentMessages,
  };
};

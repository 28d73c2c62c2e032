// The Comune's sent messages (`/comune/[comuneId]/messaggi`): the links of its pages. Pure.

/** The list's filters, as the page's load returns them. */
export interface SentMessagesFilter {
  /** The kind of message (`?tipo=`, a MessageTemplate value); null: every kind. */
  kind: string | null;
  /** The campaign (`?misura=`, its id); null: every campaign. */
  campaignId: string | null;
}

/**
 * The query string of a page of the list: both filters (paging keeps them, empty ones left out)
 * and the cursor (`?after=`) if any; '' for the first page unfiltered.
 */
export function sentMessagesQuery(filter: SentMessagesFilter, after?: string | null): string {
  const parts = [
    ...(filter.kind ? [`tipo=${encodeURIComponent(filter.kind)}`] : []),
    ...(filter.campaignId ? [`misura=${encodeURIComponent(filter.campaignId)}`] : []),
    ...(after ? [`after=${encodeURIComponent(after)}`] : []),
  ];
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

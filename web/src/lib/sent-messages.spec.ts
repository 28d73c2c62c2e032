import { describe, expect, it } from 'vitest';
import { sentMessagesQuery } from './sent-messages';

describe('the sent messages’ page links', () => {
  const campaignId = '0b7c2d1e-0000-4000-8000-0000000c0003';

  it('the next page keeps the kind and the campaign, with the cursor', () => {
    expect(sentMessagesQuery({ kind: 'CREDIT_EXPIRING', campaignId }, 'WyIxNzY1Iiwi')).toBe(
      `?tipo=CREDIT_EXPIRING&misura=${campaignId}&after=WyIxNzY1Iiwi`,
    );
    // The first page (no cursor) keeps them too.
    expect(sentMessagesQuery({ kind: 'PAYMENT', campaignId })).toBe(
      `?tipo=PAYMENT&misura=${campaignId}`,
    );
  });

  it('leaves out the filters not set; nothing for the first page unfiltered', () => {
    expect(sentMessagesQuery({ kind: null, campaignId }, 'c')).toBe(
      `?misura=${campaignId}&after=c`,
    );
    expect(sentMessagesQuery({ kind: 'DECISION', campaignId: null }, 'c')).toBe(
      '?tipo=DECISION&after=c',
    );
    expect(sentMessagesQuery({ kind: null, campaignId: null }, 'a/b=')).toBe('?after=a%2Fb%3D');
    expect(sentMessagesQuery({ kind: null, campaignId: null })).toBe('');
  });
});

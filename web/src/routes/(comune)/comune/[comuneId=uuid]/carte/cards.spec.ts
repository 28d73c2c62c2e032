import { describe, expect, it } from 'vitest';
import { cardFileUrl, lettersResponse } from './card-files';

describe('card file routes', () => {
  it('go to the gateway origin under /uploads/public-welfare/files/cards', () => {
    const url = cardFileUrl('http://127.0.0.1:4000/graphql', 'issue', { campaignId: 'a b' });
    expect(url.toString()).toBe(
      'http://127.0.0.1:4000/uploads/public-welfare/files/cards/issue?campaignId=a+b',
    );
    expect(cardFileUrl('http://gw:4000/graphql', 'replace', { cardId: 'x' }).pathname).toBe(
      '/uploads/public-welfare/files/cards/replace',
    );
  });

  it('answer the letters as a download never cached, with only the length passed on', () => {
    const upstream = new Response('%PDF-1.7', {
      headers: { 'content-length': '8', 'x-secret': 'no', 'content-type': 'text/plain' },
    });
    const answer = lettersResponse(upstream, 'lettere-carte.pdf');
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="lettere-carte.pdf"',
    );
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-length')).toBe('8');
    expect(answer.headers.get('x-secret')).toBeNull();
  });
});

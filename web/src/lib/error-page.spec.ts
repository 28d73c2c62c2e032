// SvelteKit's static error page (src/error.html: refused downloads and other endpoint errors) is
// a page like the others: one main landmark, and the footer's links to every required page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUIRED_PAGES } from './legal';

const html = readFileSync(new URL('../error.html', import.meta.url), 'utf8');

describe('the static error page', () => {
  it('has a main landmark, a language and a title', () => {
    expect(html).toMatch(/<html lang="it">/);
    expect(html.match(/<main\b/g)).toHaveLength(1);
    expect(html).toMatch(/<title>[^<]+<\/title>/);
  });

  it('links to every required page from a labelled navigation landmark in its footer', () => {
    const footer = html.slice(html.indexOf('<footer'), html.indexOf('</footer>'));
    expect(footer).toMatch(/<nav aria-label="Informazioni legali e aiuto"/);
    const hrefs = [...footer.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(hrefs).toEqual([...REQUIRED_PAGES]);
  });

  it('runs no script', () => {
    expect(html).not.toMatch(/<script/i);
  });
});

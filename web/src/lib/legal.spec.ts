import { describe, expect, it } from 'vitest';
import { HELP_AREAS, LEGAL_LINKS, PRIVACY_ROLES, REQUIRED_PAGES } from './legal';
import { HELP_GUIDES, PRIVACY_NOTICES, legalLinkLabel } from './legal-labels';

describe('the required pages', () => {
  it('are a notice per role, a guide per kind of user, and the statement, notes and contacts', () => {
    expect(REQUIRED_PAGES).toEqual([
      '/privacy',
      ...PRIVACY_ROLES.map((role) => `/privacy/${role}`),
      '/aiuto',
      ...HELP_AREAS.map((area) => `/aiuto/${area}`),
      '/accessibilita',
      '/note-legali',
      '/contatti',
    ]);
    const testids = Object.values(LEGAL_LINKS).flatMap((links) => links.map((l) => l.testid));
    expect(new Set(testids).size).toBe(REQUIRED_PAGES.length);
  });

  it('each have their own label', () => {
    const labels = REQUIRED_PAGES.map(legalLinkLabel);
    expect(new Set(labels).size).toBe(REQUIRED_PAGES.length);
  });

  it('give every purpose of every notice a legal basis, and every guide its steps', () => {
    for (const role of PRIVACY_ROLES) {
      const notice = PRIVACY_NOTICES[role];
      expect(notice.purposes.length, role).toBeGreaterThan(1);
      for (const { purpose, basis } of notice.purposes) {
        expect(purpose().length).toBeGreaterThan(10);
        expect(basis()).toMatch(/art\. 6/);
      }
      expect(notice.retention.length, role).toBeGreaterThan(0);
    }
    for (const area of HELP_AREAS) expect(HELP_GUIDES[area].steps.length).toBeGreaterThan(4);
  });
});

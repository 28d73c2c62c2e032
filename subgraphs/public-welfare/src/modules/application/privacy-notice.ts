/**
 * The privacy notice for citizens (GDPR art. 13) that the application form links to: the
 * portal's `/privacy/cittadini`. Applying acknowledges it (the Comune processes the data for a
 * task in the public interest, GDPR art. 6(1)(e): a notice, not a consent), and each application
 * records which version was acknowledged, by whom and when. The version is the date of the
 * notice's text: change it with the text, and with the portal's `PRIVACY_NOTICE_VERSION`
 * (web/src/lib/legal.ts; tests/e2e/apply.test.ts compares the two).
 */
export const CITIZEN_PRIVACY_NOTICE_VERSION = '2026-12-06';

/** The password of every demo staff login (subgraphs/identity/src/demo). */
export const DEMO_PASSWORD = 'welfare-demo-2026';

const EMAILS = {
  ADMIN: { ADMIN: 'admin@welfare.demo' },
  COMUNE: { OPERATOR: 'operatore@balestrate.demo', MANAGER: 'responsabile@balestrate.demo' },
  COOPERATIVE: { ADMIN: 'admin@laesse.demo', TUTOR: 'tutor@laesse.demo' },
  EMPLOYER: { HR: 'hr@officinerossi.demo' },
  MERCHANT: { OWNER: 'titolare@darosa.demo', CASHIER: 'cassa@darosa.demo' },
} as const;

type Emails = typeof EMAILS;

/** The demo login of a role in the demo organisation of a kind, or of the platform admin. */
export function demoEmail<K extends keyof Emails>(kind: K, role?: keyof Emails[K]): string {
  const byRole = EMAILS[kind] as Record<string, string>;
  const email = role === undefined ? Object.values(byRole)[0] : byRole[role as string];
  if (!email) throw new Error(`No demo account for ${kind}`);
  return email;
}

/** A demo citizen who logs in through the test SPID/CIE provider. */
export const DEMO_CITIZEN = {
  fiscalCode: 'RSSMRA80A01H501U',
  givenName: 'Mario',
  familyName: 'Rossi',
};

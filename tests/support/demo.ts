/**
 * The demo data's fixed facts, as the subgraphs export them (`@welfare/<subgraph>/demo`, plain
 * constants): tests name the demo's organisations, logins, citizens, campaigns and programmes
 * through these, never by repeating their ids.
 */
import {
  DEMO_ACCOUNTS,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  type DemoOrganisationKind,
  type DemoRole,
} from '@welfare/identity/demo';

export { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD };
export {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_SPENDING_CAMPAIGN_ID,
  DEMO_SPENDING_CAMPAIGN_TITLE,
} from '@welfare/public-welfare/demo';
export { DEMO_TUTORING } from '@welfare/third-sector/demo';

type OrganisationKey = keyof typeof DEMO_ORGANISATIONS;

/** The demo organisations' ids, by their key in identity's demo data. */
export const DEMO_ORG: Readonly<Record<OrganisationKey, string>> = {
  /** Comune di Balestrate, the demo Comune. */
  balestrate: DEMO_ORGANISATIONS.balestrate.id,
  /** Cooperativa Sociale La Esse (accredited, runs the tutoring programme). */
  laEsse: DEMO_ORGANISATIONS.laEsse.id,
  /** Officine Rossi S.p.A. (employer). */
  officineRossi: DEMO_ORGANISATIONS.officineRossi.id,
  /** Alimentari Da Rosa (the demo shop). */
  daRosa: DEMO_ORGANISATIONS.daRosa.id,
  /** Associazione Amici di Balestrate (accredited). */
  amiciBalestrate: DEMO_ORGANISATIONS.amiciBalestrate.id,
  /** Cooperativa Sociale Il Girasole (its accreditation waits for the Comune). */
  girasole: DEMO_ORGANISATIONS.girasole.id,
};

/** The demo Comune (Comune di Balestrate). */
export const DEMO_COMUNE_ID = DEMO_ORG.balestrate;

/**
 * The demo login of a role (the organisation's first demo account when none is given) in a demo
 * organisation, by its key: `staffEmail('girasole')`, `staffEmail('laEsse', 'TUTOR')`.
 */
export function staffEmail(organisation: OrganisationKey, role?: DemoRole): string {
  const id = DEMO_ORGANISATIONS[organisation].id;
  const account = DEMO_ACCOUNTS.find(
    (a) => a.organisationId === id && (role === undefined || a.role === role),
  );
  if (!account?.email) throw new Error(`No demo account for ${organisation} ${role ?? ''}`);
  return account.email;
}

/**
 * The demo login of a role in the first demo organisation of a kind (the Comune di Balestrate,
 * La Esse, Officine Rossi, Da Rosa, the Amici di Balestrate), or of the platform admin.
 */
export function demoEmail(kind: DemoOrganisationKind | 'ADMIN', role?: DemoRole): string {
  if (kind === 'ADMIN') {
    const admin = DEMO_ACCOUNTS.find((a) => a.kind === 'admin');
    if (!admin?.email) throw new Error('No demo platform admin');
    return admin.email;
  }
  const key = (Object.keys(DEMO_ORGANISATIONS) as OrganisationKey[]).find(
    (k) => DEMO_ORGANISATIONS[k].kind === kind,
  );
  if (!key) throw new Error(`No demo organisation of kind ${kind}`);
  return staffEmail(key, role);
}

/** A demo citizen who logs in through the test SPID/CIE provider, by given name. */
export function demoCitizen(givenName: 'Mario' | 'Giulia' | 'Giuseppe'): {
  personId: string;
  fiscalCode: string;
  givenName: string;
  familyName: string;
} {
  const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'citizen' && a.givenName === givenName);
  if (!citizen?.fiscalCode) throw new Error(`No demo citizen ${givenName}`);
  const { personId, fiscalCode, familyName } = citizen;
  return { personId, fiscalCode, givenName, familyName };
}

/** Mario Rossi (registry: 4 members, ISEE 8.500 €; the tutoring programme's family). */
export const DEMO_CITIZEN = demoCitizen('Mario');

import { describe, expect, it } from 'vitest';
import { isCurrent, navItems } from './nav';
import {
  type AccessMembership,
  canManageOrganisation,
  canUseRegistry,
  canViewOrganisation,
  membershipsOfKinds,
} from './roles';

function membership(
  kind: AccessMembership['organisation']['kind'],
  role: AccessMembership['role'],
  status: AccessMembership['status'] = 'ACTIVE',
  id = `${kind}-1`,
): AccessMembership {
  return { role, status, organisation: { id, kind, name: kind } };
}

/** The navigation without Servizi and Misure (public: every visitor has it), i.e. what depends on the person. */
const ids = (viewer: Parameters<typeof navItems>[0]) =>
  navItems(viewer)
    .map((i) => i.testid)
    .filter((id) => id !== 'nav-misure' && id !== 'nav-servizi');

describe('navItems by person', () => {
  it('anonymous: only Accedi', () => {
    expect(ids(null)).toEqual(['nav-accedi']);
  });

  it('a person without a codice fiscale or memberships: only Profilo', () => {
    expect(ids({ platformAdmin: false, memberships: [] })).toEqual(['nav-profilo']);
  });

  it('a citizen (codice fiscale known) also gets I miei messaggi, before Profilo', () => {
    expect(ids({ platformAdmin: false, memberships: [], citizen: true })).toEqual([
      'nav-prenotazioni',
      'nav-pagamenti',
      'nav-domande',
      'nav-carta',
      'nav-welfare-aziendale',
      'nav-ies',
      'nav-messaggi',
      'nav-profilo',
    ]);
    expect(
      navItems({ platformAdmin: false, memberships: [], citizen: true }).find(
        (i) => i.id === 'messaggi',
      )?.href,
    ).toBe('/messaggi');
    const operator = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'OPERATOR')],
      citizen: true,
    };
    expect(ids(operator)).toEqual([
      'nav-comune',
      'nav-prenotazioni',
      'nav-pagamenti',
      'nav-domande',
      'nav-carta',
      'nav-welfare-aziendale',
      'nav-ies',
      'nav-messaggi',
      'nav-profilo',
    ]);
    expect(
      navItems({ platformAdmin: false, memberships: [], citizen: true }).find(
        (i) => i.id === 'carta',
      )?.href,
    ).toBe('/carta');
    expect(ids({ ...operator, citizen: false })).toEqual(['nav-comune', 'nav-profilo']);
  });

  it('Servizi and Misure for everyone, after the areas; Le mie domande for citizens', () => {
    const all = (viewer: Parameters<typeof navItems>[0]) => navItems(viewer).map((i) => i.testid);
    expect(all(null)).toEqual(['nav-servizi', 'nav-misure', 'nav-accedi']);
    expect(navItems(null)[0]?.href).toBe('/servizi');
    expect(all({ platformAdmin: false, memberships: [], citizen: true })).toEqual([
      'nav-servizi',
      'nav-misure',
      'nav-prenotazioni',
      'nav-pagamenti',
      'nav-domande',
      'nav-carta',
      'nav-welfare-aziendale',
      'nav-ies',
      'nav-messaggi',
      'nav-profilo',
    ]);
    const staff = { platformAdmin: false, memberships: [membership('COMUNE', 'OPERATOR')] };
    expect(all(staff)).toEqual(['nav-comune', 'nav-servizi', 'nav-misure', 'nav-profilo']);
    expect(navItems({ ...staff, citizen: true }).find((i) => i.id === 'domande')?.href).toBe(
      '/domande',
    );
  });
});

describe('navItems by membership', () => {
  it('platform admin and every kind of membership, in a fixed order', () => {
    const viewer = {
      platformAdmin: true,
      memberships: [
        membership('MERCHANT', 'CASHIER'),
        membership('ASSOCIATION', 'TUTOR'),
        membership('EMPLOYER', 'HR'),
        membership('COMUNE', 'OPERATOR'),
      ],
    };
    expect(ids(viewer)).toEqual([
      'nav-admin',
      'nav-comune',
      'nav-ente',
      'nav-azienda',
      'nav-esercente',
      'nav-profilo',
    ]);
  });

  it('ignores invitations not yet accepted', () => {
    const viewer = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'MANAGER', 'INVITED')],
    };
    expect(ids(viewer)).toEqual(['nav-profilo']);
  });

  it('cooperatives open the ente area', () => {
    const viewer = { platformAdmin: false, memberships: [membership('COOPERATIVE', 'ADMIN')] };
    expect(ids(viewer)).toEqual(['nav-ente', 'nav-profilo']);
    expect(navItems(viewer)[0]?.href).toBe('/ente');
  });
});

describe('isCurrent', () => {
  it('matches the page and pages below it only', () => {
    expect(isCurrent('/admin', '/admin')).toBe(true);
    expect(isCurrent('/admin', '/admin/x')).toBe(true);
    expect(isCurrent('/admin', '/administration')).toBe(false);
  });
});

describe('roles', () => {
  const org = { id: 'c1', kind: 'COMUNE' as const };

  it('managers of the organisation and platform admins may invite', () => {
    expect(canManageOrganisation({ platformAdmin: true, memberships: [] }, org)).toBe(true);
    const manager = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'MANAGER', 'ACTIVE', 'c1')],
    };
    expect(canManageOrganisation(manager, org)).toBe(true);
  });

  it('operators, other organisations and anonymous may not', () => {
    const operator = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'OPERATOR', 'ACTIVE', 'c1')],
    };
    const otherManager = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'MANAGER', 'ACTIVE', 'c2')],
    };
    expect(canManageOrganisation(operator, org)).toBe(false);
    expect(canManageOrganisation(otherManager, org)).toBe(false);
    expect(canManageOrganisation(null, org)).toBe(false);
  });

  it('membershipsOfKinds keeps active memberships of those kinds', () => {
    const viewer = {
      platformAdmin: false,
      memberships: [membership('COOPERATIVE', 'ADMIN'), membership('MERCHANT', 'OWNER')],
    };
    expect(membershipsOfKinds(viewer, ['COOPERATIVE', 'ASSOCIATION'])).toHaveLength(1);
  });
});

describe('canViewOrganisation', () => {
  it('lets active members and platform admins in, and nobody else', () => {
    const member = { platformAdmin: false, memberships: [membership('COMUNE', 'OPERATOR')] };
    expect(canViewOrganisation(member, 'COMUNE-1')).toBe(true);
    expect(canViewOrganisation(member, 'COOPERATIVE-1')).toBe(false);
    const invited = {
      platformAdmin: false,
      memberships: [membership('COMUNE', 'OPERATOR', 'INVITED')],
    };
    expect(canViewOrganisation(invited, 'COMUNE-1')).toBe(false);
    expect(canViewOrganisation({ platformAdmin: true, memberships: [] }, 'any')).toBe(true);
    expect(canViewOrganisation(null, 'COMUNE-1')).toBe(false);
  });
});

describe('canUseRegistry', () => {
  const staff = (m: AccessMembership) => ({ platformAdmin: false, memberships: [m] });

  it("lets the Comune's active operators and managers, and platform admins, in", () => {
    expect(canUseRegistry(staff(membership('COMUNE', 'OPERATOR')), 'COMUNE-1')).toBe(true);
    expect(canUseRegistry(staff(membership('COMUNE', 'MANAGER')), 'COMUNE-1')).toBe(true);
    expect(canUseRegistry({ platformAdmin: true, memberships: [] }, 'COMUNE-1')).toBe(true);
  });

  it('keeps out anonymous, invited, other Comuni and other kinds', () => {
    expect(canUseRegistry(null, 'COMUNE-1')).toBe(false);
    expect(canUseRegistry(staff(membership('COMUNE', 'MANAGER', 'INVITED')), 'COMUNE-1')).toBe(
      false,
    );
    expect(canUseRegistry(staff(membership('COMUNE', 'MANAGER')), 'COMUNE-2')).toBe(false);
    expect(
      canUseRegistry(staff(membership('COOPERATIVE', 'ADMIN', 'ACTIVE', 'COMUNE-1')), 'COMUNE-1'),
    ).toBe(false);
  });
});

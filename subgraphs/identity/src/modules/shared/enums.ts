import { registerEnumType } from 'type-graphql';
import type { OrganisationKind as KitOrganisationKind, Role as KitRole } from '@welfare/kit';

/** Kinds of organisation (the kit's list, as a GraphQL enum). */
export const OrganisationKind = {
  COMUNE: 'COMUNE',
  COOPERATIVE: 'COOPERATIVE',
  ASSOCIATION: 'ASSOCIATION',
  EMPLOYER: 'EMPLOYER',
  MERCHANT: 'MERCHANT',
} as const satisfies Record<KitOrganisationKind, KitOrganisationKind>;

/** Roles in an organisation (the kit's list, as a GraphQL enum). */
export const Role = {
  OPERATOR: 'OPERATOR',
  MANAGER: 'MANAGER',
  ADMIN: 'ADMIN',
  TUTOR: 'TUTOR',
  HR: 'HR',
  OWNER: 'OWNER',
  CASHIER: 'CASHIER',
} as const satisfies Record<KitRole, KitRole>;

export const MEMBERSHIP_STATUSES = ['INVITED', 'ACTIVE'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
export const MembershipStatus = { INVITED: 'INVITED', ACTIVE: 'ACTIVE' } as const;

registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'Kinds of organisation.',
  valuesConfig: {
    COMUNE: { description: 'A municipality (Comune): runs public welfare campaigns.' },
    COOPERATIVE: { description: 'A social cooperative: provides services and tutoring.' },
    ASSOCIATION: { description: 'A third-sector association: provides services.' },
    EMPLOYER: { description: 'A company offering corporate welfare to its employees.' },
    MERCHANT: { description: 'A shop that accepts welfare vouchers and IES.' },
  },
});

registerEnumType(Role, {
  name: 'Role',
  description:
    'Roles in an organisation. COMUNE: OPERATOR, MANAGER. COOPERATIVE/ASSOCIATION: ADMIN, TUTOR. EMPLOYER: HR. MERCHANT: OWNER, CASHIER.',
  valuesConfig: {
    OPERATOR: { description: 'Comune: handles applications and cases.' },
    MANAGER: { description: 'Comune: manages campaigns and the Comune’s staff.' },
    ADMIN: { description: 'Cooperative or association: manages the provider and its staff.' },
    TUTOR: { description: 'Cooperative or association: runs activities and records attendance.' },
    HR: { description: 'Employer: manages the welfare plan and the employees.' },
    OWNER: { description: 'Merchant: manages the shop, its statements and its staff.' },
    CASHIER: { description: 'Merchant: takes payments at the till.' },
  },
});

registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Whether a membership is waiting for the invitee or in force.',
  valuesConfig: {
    INVITED: { description: 'Invited: the person has not accepted yet; it grants nothing.' },
    ACTIVE: { description: 'Accepted: the role is in force.' },
  },
});

/** The role that manages an organisation of each kind (may invite members). */
export const MANAGING_ROLE: Record<KitOrganisationKind, KitRole> = {
  COMUNE: 'MANAGER',
  COOPERATIVE: 'ADMIN',
  ASSOCIATION: 'ADMIN',
  EMPLOYER: 'HR',
  MERCHANT: 'OWNER',
};

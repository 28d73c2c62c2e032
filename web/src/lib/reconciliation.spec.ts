import { describe, expect, it } from 'vitest';
import { subjectPath } from './reconciliation';
import { type AccessMembership, canReconcileMoney } from './roles';

const COMUNE = '0b7c2d1e-0000-4000-8000-000000000101';
const ID = '0b7c2d1e-0000-4000-8000-000000000901';

function membership(
  role: AccessMembership['role'],
  status: AccessMembership['status'] = 'ACTIVE',
  id = COMUNE,
  kind: AccessMembership['organisation']['kind'] = 'COMUNE',
): AccessMembership {
  return { role, status, organisation: { id, kind, name: 'Comune' } };
}

describe('canReconcileMoney', () => {
  const staff = (m: AccessMembership) => ({ platformAdmin: false, memberships: [m] });

  it("lets the Comune's active managers and platform admins run and read the money check", () => {
    expect(canReconcileMoney(staff(membership('MANAGER')), COMUNE)).toBe(true);
    expect(canReconcileMoney({ platformAdmin: true, memberships: [] }, COMUNE)).toBe(true);
  });

  it('keeps out operators, invited managers, other Comuni, other kinds and anonymous', () => {
    expect(canReconcileMoney(staff(membership('OPERATOR')), COMUNE)).toBe(false);
    expect(canReconcileMoney(staff(membership('MANAGER', 'INVITED')), COMUNE)).toBe(false);
    expect(canReconcileMoney(staff(membership('MANAGER', 'ACTIVE', ID)), COMUNE)).toBe(false);
    expect(
      canReconcileMoney(staff(membership('ADMIN', 'ACTIVE', COMUNE, 'COOPERATIVE')), COMUNE),
    ).toBe(false);
    expect(canReconcileMoney(null, COMUNE)).toBe(false);
  });
});

describe('subjectPath', () => {
  it("links a problem's subject to the Comune's page about it", () => {
    expect(subjectPath(COMUNE, `campaign:${ID}`)).toBe(`/comune/${COMUNE}/misure/${ID}`);
    expect(subjectPath(COMUNE, `application:${ID}`)).toBe(`/comune/${COMUNE}/domande/${ID}`);
    expect(subjectPath(COMUNE, `card:${ID}`)).toBe(`/comune/${COMUNE}/carte/${ID}`);
    expect(subjectPath(COMUNE, `batch:${ID}`)).toBe(`/comune/${COMUNE}/rimborsi/${ID}`);
  });

  it('has no link for payments, the Comune itself or anything malformed', () => {
    expect(subjectPath(COMUNE, `payment:${ID}`)).toBeNull();
    expect(subjectPath(COMUNE, `comune:${COMUNE}`)).toBeNull();
    expect(subjectPath(COMUNE, 'application:not-a-uuid')).toBeNull();
    expect(subjectPath(COMUNE, `application:${ID}:x`)).toBeNull();
    expect(subjectPath('../x', `application:${ID}`)).toBeNull();
  });
});

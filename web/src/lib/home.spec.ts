import { describe, expect, it } from 'vitest';
import { homePath } from './home';
import type { AccessMembership, AccessViewer } from './roles';

const COMUNE_A = '00000000-0000-4000-8000-00000000000a';
const COMUNE_B = '00000000-0000-4000-8000-00000000000b';

function member(
  id: string,
  kind: AccessMembership['organisation']['kind'],
  role: AccessMembership['role'],
  status: AccessMembership['status'] = 'ACTIVE',
): AccessMembership {
  return { role, status, organisation: { id, kind, name: id } };
}
const viewer = (...memberships: AccessMembership[]): AccessViewer => ({
  platformAdmin: false,
  memberships,
});

describe('homePath', () => {
  it('sends a Comune’s staff to its worklist, or to the area to pick one of several', () => {
    expect(homePath(viewer(member(COMUNE_A, 'COMUNE', 'OPERATOR')))).toBe(`/comune/${COMUNE_A}`);
    expect(
      homePath(
        viewer(member(COMUNE_A, 'COMUNE', 'MANAGER'), member(COMUNE_B, 'COMUNE', 'OPERATOR')),
      ),
    ).toBe('/comune');
    // An invitation not yet accepted does not count.
    expect(
      homePath(
        viewer(
          member(COMUNE_A, 'COMUNE', 'MANAGER'),
          member(COMUNE_B, 'COMUNE', 'OPERATOR', 'INVITED'),
        ),
      ),
    ).toBe(`/comune/${COMUNE_A}`);
  });

  it('sends other staff to their area and everyone else to the profile', () => {
    expect(homePath(viewer(member(COMUNE_A, 'COOPERATIVE', 'TUTOR')))).toBe('/ente');
    expect(homePath(viewer(member(COMUNE_A, 'EMPLOYER', 'HR')))).toBe('/azienda');
    expect(homePath(viewer(member(COMUNE_A, 'MERCHANT', 'CASHIER')))).toBe('/esercente');
    expect(homePath(viewer())).toBe('/profilo');
    expect(homePath({ platformAdmin: true, memberships: [] })).toBe('/profilo');
    expect(homePath(null)).toBe('/accedi');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  CITIZEN,
  ORG_A,
  ORG_B,
  errorCode,
  errorFields,
  member,
  setupSuite,
} from './helpers.js';

const suite = await setupSuite('notice', { noticeMaxLength: 200 });
afterAll(() => suite.close());

const NOTICES = /* GraphQL */ `
  query ($organisationId: ID!) {
    paymentsNotices(organisationId: $organisationId) {
      id
      organisationId
      title
      body
    }
  }
`;
const POST = /* GraphQL */ `
  mutation ($input: PaymentsNoticeInput!) {
    postPaymentsNotice(input: $input) {
      id
      title
    }
  }
`;

const memberOfA = member(ORG_A, 'COMUNE', 'OPERATOR');
const memberOfB = member(ORG_B, 'COMUNE', 'OPERATOR');

describe('notices (the sample module)', () => {
  beforeAll(async () => {
    const posted = await suite.run(
      POST,
      {
        input: { organisationId: ORG_A, title: '  Apertura  ', body: 'Lo sportello apre lunedì.' },
      },
      memberOfA,
    );
    expect(posted.errors).toBeUndefined();
  });

  it('are posted and read by the organisation’s members', async () => {
    const result = await suite.run<{ paymentsNotices: { title: string }[] }>(
      NOTICES,
      { organisationId: ORG_A },
      memberOfA,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.paymentsNotices.map((n) => n.title)).toEqual(['Apertura']);
  });

  it('are refused to another tenant, to a citizen and to anonymous callers, and nothing is written', async () => {
    const before = await suite.count('notice');
    expect(errorCode(await suite.run(NOTICES, { organisationId: ORG_A }, memberOfB))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(NOTICES, { organisationId: ORG_A }, CITIZEN))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(NOTICES, { organisationId: ORG_A }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    const input = { organisationId: ORG_A, title: 'Intrusione', body: 'Testo' };
    expect(errorCode(await suite.run(POST, { input }, memberOfB))).toBe('FORBIDDEN');
    expect(await suite.count('notice')).toBe(before);
  });

  it('refuse bad input field by field and write nothing', async () => {
    const before = await suite.count('notice');
    const result = await suite.run(
      POST,
      { input: { organisationId: ORG_A, title: 'x', body: 'y'.repeat(201) } },
      memberOfA,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual(['body', 'title']);
    const malformed = await suite.run(NOTICES, { organisationId: 'not-a-uuid' }, memberOfA);
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(await suite.count('notice')).toBe(before);
  });

  it('keep the database’s own rules whatever the code does', async () => {
    await expect(
      suite.sql(
        `insert into "payments"."notice" (id, organisation_id, title, body, created_by) values (gen_random_uuid(), ?, 'x', 'y', ?)`,
        [ORG_A, ORG_A],
      ),
    ).rejects.toThrow(/notice_title_check/);
  });
});

// Issue 15, item 6: pagoPA notices through the gateway. A Comune's staff issue notices whose
// creditor (name, codice fiscale) payments asks identity for, service to service; each Comune sees
// and changes only its own notices, each citizen only those addressed to their codice fiscale; the
// Comune's reporting flow (XML, multi-line) marks its notice paid through the gateway.
// On the shared platform: it creates its own Comune and notices and reads only those.
import { partitaIvaCheckDigit } from '@welfare/kit/pii';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COMUNE_ID,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  demoCitizen,
  demoEmail,
} from '../support/demo.js';
import { citizenToken } from '../support/citizen.js';
import { gql, login, type GraphQLResponse } from '../support/graphql.js';
import { flowXml, isNoticeNumber } from '../support/pagopa.js';
import type { TestPlatform } from '../support/platform.js';
import { sharedTestPlatform } from '../support/shared-platform.js';

const COMUNE = DEMO_COMUNE_ID;
const GIULIA = demoCitizen('Giulia');
const MARIO = demoCitizen('Mario');

const FIELDS = `id comuneId creditorName creditorFiscalCode debtorFiscalCode amountCents iuv
  noticeNumber qrPayload status paidAt iur psp`;
const ISSUE = `mutation($input: IssuePagopaNoticeInput!) { issuePagopaNotice(input: $input) { ${FIELDS} } }`;
const LIST = `query($c: ID!) { pagopaNotices(comuneId: $c) { id } }`;
const ONE = `query($id: ID!) { pagopaNotice(id: $id) { ${FIELDS} } }`;
const MINE = `{ myPagopaNotices { id } }`;
const CANCEL = `mutation($id: ID!) { cancelPagopaNotice(id: $id) { id status } }`;
const RECONCILE = `mutation($c: ID!, $xml: String!) {
  reconcilePagopaFlow(comuneId: $c, xml: $xml) { paidCount lines { outcome noticeId } }
}`;

interface Notice {
  id: string;
  comuneId: string;
  creditorName: string;
  creditorFiscalCode: string;
  amountCents: number;
  iuv: string;
  noticeNumber: string;
  qrPayload: string;
  status: string;
  paidAt: string | null;
  iur: string | null;
}

const dueDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(
  new Date(Date.now() + 30 * 86_400_000),
);

describe('pagoPA notices through the gateway', () => {
  let platform: TestPlatform;
  let gateway = '';
  let operator = '';
  let admin = '';
  let giulia = '';
  let mario = '';
  let other = { id: '', token: '', taxCode: '' };

  const call = <T>(query: string, token?: string, variables: Record<string, unknown> = {}) =>
    gql<T>(gateway, query, variables, token ? { token } : {});
  const code = (answer: GraphQLResponse<unknown>) => answer.errors?.[0]?.extensions?.code;
  const issue = async (token: string, comuneId: string, amountCents: number) => {
    const answer = await call<{ issuePagopaNotice: Notice }>(ISSUE, token, {
      input: {
        comuneId,
        debtorFiscalCode: GIULIA.fiscalCode,
        debtorName: `${GIULIA.givenName} ${GIULIA.familyName}`,
        reason: 'Compartecipazione trasporto scolastico',
        amountCents,
        dueDate,
      },
    });
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data!.issuePagopaNotice;
  };

  /** A Comune of this file, created by the platform admin, with a MANAGER. */
  async function createComune() {
    const stem = String(Date.now()).slice(-9).padStart(10, '9');
    const taxCode = `${stem}${partitaIvaCheckDigit(stem)}`;
    const created = await call<{ createOrganisation: { id: string } }>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      admin,
      { input: { kind: 'COMUNE', name: 'Comune degli Avvisi', taxCode, city: 'Prova' } },
    );
    const id = created.data?.createOrganisation.id;
    expect(id, JSON.stringify(created.errors)).toBeTruthy();
    const email = `responsabile-${stem}@avvisi.demo`;
    const invited = await call<{ inviteMember: { token: string } }>(
      `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }`,
      admin,
      {
        input: {
          organisationId: id,
          email,
          givenName: 'Paola',
          familyName: 'Avvisi',
          role: 'MANAGER',
        },
      },
    );
    expect(invited.errors, JSON.stringify(invited.errors)).toBeUndefined();
    const accepted = await call<{ acceptInvitation: { token: string } }>(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      undefined,
      {
        input: {
          token: invited.data!.inviteMember.token,
          password: 'password-avvisi-federation-2026',
        },
      },
    );
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    return { id: id!, token: accepted.data!.acceptInvitation.token, taxCode };
  }

  beforeAll(async () => {
    platform = await sharedTestPlatform();
    gateway = platform.urls.gateway;
    operator = (await login(gateway, demoEmail('COMUNE', 'OPERATOR'), DEMO_PASSWORD)).token;
    admin = (await login(gateway, demoEmail('ADMIN'), DEMO_PASSWORD)).token;
    giulia = await citizenToken(platform, GIULIA.fiscalCode);
    mario = await citizenToken(platform, MARIO.fiscalCode);
    other = await createComune();
  });
  afterAll(() => platform?.close());

  it('issues a notice with the creditor identity keeps for the Comune', async () => {
    const notice = await issue(operator, COMUNE, 3_500);
    expect(notice).toMatchObject({
      comuneId: COMUNE,
      creditorName: DEMO_ORGANISATIONS.balestrate.name,
      creditorFiscalCode: DEMO_ORGANISATIONS.balestrate.taxCode,
      status: 'UNPAID',
    });
    expect(isNoticeNumber(notice.noticeNumber)).toBe(true);
    expect(notice.qrPayload).toBe(
      `PAGOPA|002|${notice.noticeNumber}|${DEMO_ORGANISATIONS.balestrate.taxCode}|3500`,
    );
    const ofOther = await issue(other.token, other.id, 1_000);
    expect(ofOther.creditorFiscalCode).toBe(other.taxCode);
  });

  it('keeps each Comune to its notices and each citizen to theirs', async () => {
    const ours = await issue(operator, COMUNE, 1_200);
    const theirs = await issue(other.token, other.id, 800);

    expect(code(await call(LIST, other.token, { c: COMUNE }))).toBe('FORBIDDEN');
    expect(code(await call(LIST, giulia, { c: COMUNE }))).toBe('FORBIDDEN');
    expect(code(await call(LIST, undefined, { c: COMUNE }))).toBe('UNAUTHENTICATED');
    const refusedIssue = await call(ISSUE, other.token, {
      input: {
        comuneId: COMUNE,
        debtorFiscalCode: GIULIA.fiscalCode,
        debtorName: 'Giulia Bianchi',
        reason: 'Tentativo fuori ente',
        amountCents: 100,
        dueDate,
      },
    });
    expect(code(refusedIssue)).toBe('FORBIDDEN');
    expect(code(await call(ONE, other.token, { id: ours.id }))).toBe('NOT_FOUND');
    expect(code(await call(CANCEL, other.token, { id: ours.id }))).toBe('NOT_FOUND');
    expect(code(await call(ONE, mario, { id: ours.id }))).toBe('NOT_FOUND');
    const still = await call<{ pagopaNotice: Notice }>(ONE, operator, { id: ours.id });
    expect(still.data!.pagopaNotice.status).toBe('UNPAID');

    const listed = await call<{ pagopaNotices: { id: string }[] }>(LIST, operator, { c: COMUNE });
    const ids = listed.data!.pagopaNotices.map((n) => n.id);
    expect(ids).toContain(ours.id);
    expect(ids).not.toContain(theirs.id);

    const mine = await call<{ myPagopaNotices: { id: string }[] }>(MINE, giulia);
    expect(mine.data!.myPagopaNotices.map((n) => n.id)).toEqual(
      expect.arrayContaining([ours.id, theirs.id]),
    );
    const marios = await call<{ myPagopaNotices: { id: string }[] }>(MINE, mario);
    expect(marios.data!.myPagopaNotices.map((n) => n.id)).not.toContain(ours.id);
    const own = await call<{ pagopaNotice: Notice }>(ONE, giulia, { id: ours.id });
    expect(own.data!.pagopaNotice.id).toBe(ours.id);
  });

  it('marks a notice paid from the Comune’s reporting flow, once', async () => {
    const notice = await issue(operator, COMUNE, 2_250);
    const xml = flowXml(DEMO_ORGANISATIONS.balestrate.taxCode, [
      { iuv: notice.iuv, iur: 'IUR-FED-1', amount: '22.50' },
    ]);
    // Another Comune cannot apply it (nor does it match its own creditor).
    expect(code(await call(RECONCILE, other.token, { c: COMUNE, xml }))).toBe('FORBIDDEN');
    const wrong = await call(RECONCILE, other.token, { c: other.id, xml });
    expect(code(wrong)).toBe('BAD_USER_INPUT');

    const applied = await call<{ reconcilePagopaFlow: { paidCount: number } }>(
      RECONCILE,
      operator,
      { c: COMUNE, xml },
    );
    expect(applied.errors, JSON.stringify(applied.errors)).toBeUndefined();
    expect(applied.data!.reconcilePagopaFlow.paidCount).toBe(1);
    const again = await call<{ reconcilePagopaFlow: { paidCount: number } }>(RECONCILE, operator, {
      c: COMUNE,
      xml,
    });
    expect(again.data!.reconcilePagopaFlow.paidCount).toBe(0);
    const paid = await call<{ pagopaNotice: Notice }>(ONE, giulia, { id: notice.id });
    expect(paid.data!.pagopaNotice).toMatchObject({
      status: 'PAID',
      paidAt: '2026-12-04',
      iur: 'IUR-FED-1',
    });
  });
});

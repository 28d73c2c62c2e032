import { randomUUID } from 'node:crypto';
import type { PersonCaller } from '@welfare/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { book } from '../src/modules/ledger/ledger.js';
import { LASTING_INCOME, PDF, campaignInput } from './campaign-fixtures.js';
import { CF, REGISTRY } from './fixtures.js';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  caught,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

/* Measures decided outside the platform: a list of beneficiaries imported into a campaign. */

let suite: Suite;
const em = () => suite.orm.em.fork();
const operator = staff(COMUNE_A);
const manager = staff(COMUNE_A, 'MANAGER');
const operatorB = staff(COMUNE_B);
const citizenOf = (fiscalCode: string): PersonCaller => ({
  kind: 'person',
  personId: randomUUID(),
  sessionId: randomUUID(),
  platformAdmin: false,
  memberships: [],
  fiscalCode,
});
const mario = citizenOf(CF.mario);

let main: Campaign;
let draft: Campaign;

const b64 = (text: string | Buffer) =>
  (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
const list = (lines: string[]) => b64(`\ufeff${lines.join('\r\n')}\r\n`);
const importList = (caller: PersonCaller | typeof ANONYMOUS, content: string, c = main) =>
  suite.services.directList.importList(em(), caller, c.id, content);

/** Rows a refused import must leave alone. */
async function written() {
  return {
    applications: await suite.count('application'),
    events: await suite.count('case_event'),
    audit: await suite.count('audit_event'),
  };
}

const HEADER = 'codice_fiscale;importo;motivo';
const FIRST = [
  HEADER,
  `${CF.rosa};150,50;Delibera di Giunta n. 12/2026`,
  `${CF.pietro.toLowerCase()};1.000;"Delibera di Giunta n. 12/2026; nucleo fragile"`,
];

beforeAll(async () => {
  suite = await setupSuite('direct_list');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  await suite.importText(operator, COMUNE_A, 'INCOME', LASTING_INCOME);
  main = await suite.services.campaigns.publish(
    em(),
    manager,
    (
      await suite.services.campaigns.create(
        em(),
        operator,
        campaignInput(COMUNE_A, { budgetCents: 200_000 }),
      )
    ).id,
  );
  draft = await suite.services.campaigns.create(em(), operator, campaignInput(COMUNE_A));
  // Mario applies through the portal: a list may not take him as well.
  const d = await suite.services.applications.saveDraft(em(), mario, {
    campaignId: main.id,
    privacyNoticeAcknowledged: true,
    acceptedDeclarations: ['TRUE'],
  });
  await suite.services.applications.addDocument(em(), mario, d.id, {
    code: 'ID',
    fileName: 'ci.pdf',
    content: PDF,
  });
  await suite.services.applications.submit(em(), mario, d.id);
}, 120_000);

afterAll(async () => {
  await suite?.close();
});

afterEach(async () => {
  const report = await book.checkInvariants(em());
  expect(report.problems).toEqual([]);
  expect(await suite.services.reconciliation.check(em(), COMUNE_A)).toEqual([]);
});

describe('importing a list of beneficiaries', () => {
  it('refuses every bad line with its line, column and reason, writing nothing', async () => {
    const before = await written();
    const result = await importList(
      operator,
      list([
        HEADER,
        `${CF.rosa};150,50;Delibera`,
        `RSSMRA80A01A592X;10;Delibera`, // check character
        `${CF.rosa};10;Delibera`, // the same codice fiscale twice
        `${CF.sara};12.34;Delibera`, // decimal point
        `${CF.gino};-5;Delibera`,
        `${CF.carla};0;Delibera`,
        `${CF.anna};10;`,
        `${CF.luca};10;${'x'.repeat(501)}`,
        `${CF.anna};10`, // a column short
        `;;`,
      ]),
    );
    expect(result.accepted).toBe(false);
    expect(result.created).toBe(0);
    expect(result.rejections.map((r) => `${r.line}:${r.field}`)).toEqual([
      '3:codice_fiscale',
      '4:codice_fiscale',
      '5:importo',
      '6:importo',
      '7:importo',
      '8:motivo',
      '9:motivo',
      '10:riga',
      '11:codice_fiscale',
      '11:importo',
      '11:motivo',
    ]);
    for (const r of result.rejections) {
      expect(r.reason.it.length).toBeGreaterThan(0);
      expect(r.reason.en.length).toBeGreaterThan(0);
    }
    expect(result.rejections[1]!.reason.it).toContain('riga 2');
    // A missing column, a header-only file, a file that is not CSV.
    const missing = await importList(operator, list(['codice_fiscale;motivo', `${CF.rosa};x`]));
    expect(missing.rejections.map((r) => r.field)).toEqual(['importo']);
    const headerOnly = await importList(operator, list([HEADER]));
    expect(headerOnly.rejections.map((r) => `${r.line}:${r.field}`)).toEqual(['1:file']);
    const broken = await importList(operator, list([HEADER, `${CF.rosa};"10;x`]));
    expect(broken.rejections.map((r) => r.field)).toEqual(['file']);
    // An empty file, or one that is not base64: a field error.
    for (const content of ['', 'non base64!']) {
      const err = await caught(() => importList(operator, content));
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.fields.map((f) => f.field)).toEqual(['file']);
    }
    expect(await written()).toEqual(before);
  });

  it('refuses another Comune, a citizen, the anonymous and a campaign not published', async () => {
    const before = await written();
    for (const who of [operatorB, mario])
      expect((await caught(() => importList(who, list(FIRST)))).code).toBe('NOT_FOUND');
    expect((await caught(() => importList(ANONYMOUS, list(FIRST)))).code).toBe('UNAUTHENTICATED');
    expect((await caught(() => importList(operator, list(FIRST), draft))).code).toBe('CONFLICT');
    // Through the API too, as the gateway calls it.
    const res = await suite.run(
      `mutation ($id: ID!, $c: String!) { importBeneficiaryList(campaignId: $id, contentBase64: $c) { accepted } }`,
      { id: main.id, c: list(FIRST) },
      operatorB,
    );
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);
  });

  it('refuses a beneficiary who applied through the portal, and a total over the budget', async () => {
    const before = await written();
    const portal = await importList(operator, list([HEADER, `${CF.mario};100;Delibera`]));
    expect(portal.accepted).toBe(false);
    expect(portal.rejections.map((r) => `${r.line}:${r.field}`)).toEqual(['2:codice_fiscale']);
    // Budget 2.000,00 €: nothing approved yet, so 2.000,01 € is over it.
    const over = await importList(
      operator,
      list([HEADER, `${CF.rosa};1.000;Delibera`, `${CF.pietro};1.000,01;Delibera`]),
    );
    expect(over.accepted).toBe(false);
    expect(over.newCents).toBe(200_001);
    expect(over.budgetLeftCents).toBe(200_000);
    expect(over.rejections.map((r) => `${r.line}:${r.field}`)).toEqual(['0:importo']);
    expect(await written()).toEqual(before);
  });

  it('creates APPROVED entitlements with the reason, once; a re-import changes nothing', async () => {
    const before = await written();
    const result = await importList(operator, list(FIRST));
    expect(result).toMatchObject({
      accepted: true,
      rows: 2,
      created: 2,
      unchanged: 0,
      newCents: 115_050,
      budgetLeftCents: 200_000,
      rejections: [],
      format: { encoding: 'UTF-8-BOM', separator: ';' },
    });
    const rows = await suite.sql<{
      status: string;
      origin: string;
      amount_cents: string;
      decision_reason: string;
      protocol_number: string;
    }>(
      `select status, origin, amount_cents::text as amount_cents, decision_reason, protocol_number
         from public_welfare.application a where campaign_id = ? and origin = 'DIRECT_LIST'
        order by a.amount_cents`,
      [main.id],
    );
    expect(rows.map((r) => [r.status, r.amount_cents, r.decision_reason])).toEqual([
      ['APPROVED', '15050', 'Delibera di Giunta n. 12/2026'],
      ['APPROVED', '100000', 'Delibera di Giunta n. 12/2026; nucleo fragile'],
    ]);
    expect(new Set(rows.map((r) => r.protocol_number)).size).toBe(2);
    for (const r of rows) expect(r.protocol_number).toMatch(/^\d{4}\/\d{6}$/);
    const audited = await suite.sql<{ n: number }>(
      `select count(*)::int as n from public_welfare.audit_event where action = 'IMPORT_BENEFICIARIES'`,
    );
    expect(audited[0]!.n).toBe(1);
    const after = await written();
    expect(after.applications).toBe(before.applications + 2);
    expect(after.events).toBe(before.events + 2);

    // The same list again (comma-separated this time): nothing changes, nothing is audited.
    const again = await importList(
      operator,
      b64(`CF,Importo,Motivazione\n${CF.rosa},"150,50",Delibera\n${CF.pietro},1000,Delibera\n`),
    );
    expect(again).toMatchObject({ accepted: true, created: 0, unchanged: 2, newCents: 0 });
    expect(again.format?.separator).toBe(',');
    expect(await written()).toEqual(after);

    // A different amount for one already in the list is refused; the list stays as it was.
    const changed = await importList(
      operator,
      list([HEADER, `${CF.rosa};200;Delibera`, `${CF.sara};10;Delibera`]),
    );
    expect(changed.accepted).toBe(false);
    expect(changed.rejections.map((r) => `${r.line}:${r.field}`)).toEqual(['2:importo']);
    expect(changed.rejections[0]!.reason.it).toContain('150,50');
    expect(await written()).toEqual(after);

    // The budget left now counts the list: 2.000,00 − 1.150,50 = 849,50 €.
    const over = await importList(operator, list([HEADER, `${CF.sara};849,51;Delibera`]));
    expect(over.budgetLeftCents).toBe(84_950);
    expect(over.rejections.map((r) => r.field)).toEqual(['importo']);
  });

  it('issues cards and credits them with the existing actions; a ranking leaves the list alone', async () => {
    const { issued } = await suite.services.cards.issueForCampaign(em(), operator, main.id);
    expect(issued.map((i) => i.fiscalCode).sort()).toEqual([CF.pietro, CF.rosa].sort());
    const topUp = await suite.services.topUps.topUpCampaign(em(), operator, main.id);
    expect(topUp.creditedCents).toBe(115_050);
    expect(topUp.withoutCard).toBe(0);
    const [rosa] = await suite.services.credit.myBalances(em(), citizenOf(CF.rosa));
    expect(rosa).toMatchObject({
      campaignId: main.id,
      creditedCents: 15_050,
      availableCents: 15_050,
    });
    // A replay credits nothing more.
    expect((await suite.services.topUps.topUpCampaign(em(), operator, main.id)).creditedCents).toBe(
      0,
    );

    // Ranking the campaign: the list's beneficiaries stay APPROVED and unranked, their money
    // committed first; the budget cannot go below them.
    await suite.services.cases.rank(em(), manager, main.id);
    const direct = await suite.sql<{ status: string; rank: number | null }>(
      `select status, rank from public_welfare.application where campaign_id = ? and origin = 'DIRECT_LIST'`,
      [main.id],
    );
    expect(direct).toEqual([
      { status: 'APPROVED', rank: null },
      { status: 'APPROVED', rank: null },
    ]);
    const cut = await caught(() => suite.services.cases.setBudget(em(), manager, main.id, 100_000));
    expect(cut.code).toBe('BAD_USER_INPUT');
    expect(cut.fields.map((f) => f.field)).toEqual(['budgetCents']);
  });
});

describe('the list of beneficiaries', () => {
  const page = (caller: PersonCaller | typeof ANONYMOUS, first = 50, after: string | null = null) =>
    suite.services.directList.beneficiaries(em(), caller, main.id, first, after);

  it('lists the beneficiaries by protocol, with card and credit, a page at a time', async () => {
    // Sara joins the list after the cards and the top-up: no card, nothing credited yet.
    expect(
      await importList(operator, list([HEADER, `${CF.sara};10;Delibera n. 13/2026`])),
    ).toMatchObject({ accepted: true, created: 1 });
    const audits = async () =>
      (
        await suite.sql<{ n: number }>(
          `select count(*)::int as n from public_welfare.audit_event
            where action = 'SEARCH_CASES' and subject = ?`,
          [`campaign:${main.id}`],
        )
      )[0]!.n;
    const auditedBefore = await audits();

    const all = await page(manager);
    expect(all.totalCount).toBe(3);
    expect(all.hasNextPage).toBe(false);
    expect(all.endCursor).toBeNull();
    // Mario applied through the portal: not in the list.
    expect(all.nodes.map((n) => n.fiscalCode)).toEqual([CF.rosa, CF.pietro, CF.sara]);
    expect(all.nodes.map((n) => [n.amountCents, n.cardIssued, n.creditedCents])).toEqual([
      [15_050, true, 15_050],
      [100_000, true, 100_000],
      [1_000, false, 0],
    ]);
    expect(all.nodes[1]!.reason).toBe('Delibera di Giunta n. 12/2026; nucleo fragile');
    const protocols = all.nodes.map((n) => n.protocolNumber);
    expect([...protocols].sort()).toEqual(protocols);
    for (const p of protocols) expect(p).toMatch(/^\d{4}\/\d{6}$/);

    const first = await page(operator, 2);
    expect(first.nodes.map((n) => n.fiscalCode)).toEqual([CF.rosa, CF.pietro]);
    expect(first).toMatchObject({ totalCount: 3, hasNextPage: true });
    const second = await page(operator, 2, first.endCursor);
    expect(second.nodes.map((n) => n.applicationId)).toEqual([all.nodes[2]!.applicationId]);
    expect(second).toMatchObject({ hasNextPage: false, endCursor: null });
    // Each read of the list is audited as a search of cases.
    expect(await audits()).toBe(auditedBefore + 3);

    // A campaign without a list: an empty page.
    expect(
      await suite.services.directList.beneficiaries(em(), operator, draft.id, 50, null),
    ).toEqual({ nodes: [], totalCount: 0, hasNextPage: false, endCursor: null });
  });

  it('shows the list to its Comune’s staff only, and refuses a bad page', async () => {
    const audit = await suite.count('audit_event');
    const code = async (f: () => Promise<unknown>) => (await caught(f)).code;
    expect(await code(() => page(operatorB))).toBe('NOT_FOUND');
    expect(await code(() => page(mario))).toBe('NOT_FOUND');
    expect(await code(() => page(citizenOf(CF.rosa)))).toBe('NOT_FOUND');
    expect(await code(() => page(ANONYMOUS))).toBe('UNAUTHENTICATED');
    expect(
      await code(() =>
        suite.services.directList.beneficiaries(em(), operator, 'not-a-uuid', 50, null),
      ),
    ).toBe('NOT_FOUND');
    // Through the API too, as the gateway calls it: another Comune's staff get nothing.
    const query = `query ($id: ID!) { directListBeneficiaries(campaignId: $id) { totalCount nodes { fiscalCode } } }`;
    const refused = await suite.run(query, { id: main.id }, operatorB);
    expect(errorCode(refused)).toBe('NOT_FOUND');
    expect(refused.data?.directListBeneficiaries ?? null).toBeNull();
    for (const [first, after, field] of [
      [0, null, 'first'],
      [201, null, 'first'],
      [50, Buffer.from('-1').toString('base64url'), 'after'],
      [50, 'not a cursor', 'after'],
    ] as const) {
      const e = await caught(() => page(operator, first, after));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual([field]);
    }
    // Nothing refused was audited.
    expect(await suite.count('audit_event')).toBe(audit);
    const allowed = await suite.run(query, { id: main.id }, operator);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.directListBeneficiaries).toMatchObject({ totalCount: 3 });
  });
});

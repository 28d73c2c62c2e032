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
  lockWaiters,
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

describe('correcting an entry of the list', () => {
  const managerB = staff(COMUNE_B, 'MANAGER');
  const correct = (
    caller: PersonCaller | typeof ANONYMOUS,
    input: Parameters<typeof suite.services.directList.correctEntry>[2],
  ) => suite.services.directList.correctEntry(em(), caller, input);
  /** The list entry of a codice fiscale in the main campaign (any status). */
  const entryOf = async (fiscalCode: string) => {
    const rows = await suite.sql<{ id: string; status: string; amount: string }>(
      `select a.id, a.status, a.amount_cents::text as amount from public_welfare.application a
        where a.campaign_id = ? and a.origin = 'DIRECT_LIST'
        order by a.created_at`,
      [main.id],
    );
    const page = await suite.services.directList.beneficiaries(em(), manager, main.id, 200, null);
    const listed = page.nodes.find((n) => n.fiscalCode === fiscalCode);
    return listed ? rows.find((r) => r.id === listed.applicationId)! : null;
  };
  const committed = async () =>
    (
      await suite.sql<{ n: string }>(
        `select coalesce(sum(amount_cents), 0)::text as n from public_welfare.application
          where campaign_id = ? and status = 'APPROVED'`,
        [main.id],
      )
    )[0]!.n;
  const events = (applicationId: string) =>
    suite.sql<{ kind: string; note: string; changes: unknown; actor: string }>(
      `select kind, note, changes, actor from public_welfare.case_event
        where application_id = ? order by id`,
      [applicationId],
    );

  it('refuses another Comune, an OPERATOR, a portal application and bad input, writing nothing', async () => {
    const sara = (await entryOf(CF.sara))!;
    const [portal] = await suite.sql<{ id: string }>(
      `select id from public_welfare.application where campaign_id = ? and origin = 'PORTAL'`,
      [main.id],
    );
    const before = await written();
    const ok = { applicationId: sara.id, amountCents: 2_000, reason: 'Errore di battitura' };
    for (const who of [managerB, operatorB, mario])
      expect((await caught(() => correct(who, ok))).code).toBe('NOT_FOUND');
    expect((await caught(() => correct(manager, { ...ok, applicationId: portal!.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await caught(() => correct(manager, { ...ok, applicationId: 'x' }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await caught(() => correct(operator, ok))).code).toBe('FORBIDDEN');
    expect((await caught(() => correct(ANONYMOUS, ok))).code).toBe('UNAUTHENTICATED');
    for (const [input, fields] of [
      [{ applicationId: sara.id, reason: 'x' }, ['amountCents']],
      [{ ...ok, withdraw: true }, ['amountCents']],
      [{ ...ok, amountCents: 0 }, ['amountCents']],
      [{ ...ok, amountCents: 1.5, reason: ' ' }, ['amountCents', 'reason']],
      [{ ...ok, reason: 'x'.repeat(501) }, ['reason']],
    ] as const) {
      const e = await caught(() => correct(manager, input));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual(fields);
    }
    // Through the API too, as the gateway calls it: another Comune's MANAGER gets nothing.
    const mutation = `mutation ($input: CorrectDirectListEntryInput!) { correctDirectListEntry(input: $input) { changed amountCents } }`;
    const refused = await suite.run(mutation, { input: ok }, managerB);
    expect(errorCode(refused)).toBe('NOT_FOUND');
    expect(await written()).toEqual(before);
    expect((await entryOf(CF.sara))!.amount).toBe('1000');
  });

  it('changes an amount not yet credited, once, within the budget; refuses one already credited', async () => {
    const sara = (await entryOf(CF.sara))!;
    const before = await written();
    expect(await committed()).toBe('116050');
    const done = await correct(manager, {
      applicationId: sara.id,
      amountCents: 2_500,
      reason: 'Delibera n. 14/2026: importo rettificato',
    });
    expect(done).toEqual({
      applicationId: sara.id,
      changed: true,
      withdrawn: false,
      amountCents: 2_500,
      previousAmountCents: 1_000,
      budgetLeftCents: 200_000 - 117_550,
    });
    expect(await committed()).toBe('117550');
    const timeline = await events(sara.id);
    expect(timeline.at(-1)).toEqual({
      kind: 'AMOUNT_CORRECTED',
      note: 'Delibera n. 14/2026: importo rettificato',
      changes: { amountCents: [1_000, 2_500] },
      actor: `person:${manager.personId}`,
    });
    const audited = await suite.sql<{ subject: string; actor: string }>(
      `select subject, actor from public_welfare.audit_event where action = 'CORRECT_BENEFICIARY'`,
    );
    expect(audited).toEqual([
      { subject: `application:${sara.id}:1000->2500`, actor: `person:${manager.personId}` },
    ]);
    const after = await written();
    expect(after).toEqual({ ...before, events: before.events + 1, audit: before.audit + 1 });

    // The same correction again: the same result, nothing written.
    const again = await correct(manager, {
      applicationId: sara.id,
      amountCents: 2_500,
      reason: 'Delibera n. 14/2026: importo rettificato',
    });
    expect(again).toMatchObject({ changed: false, amountCents: 2_500, budgetLeftCents: 82_450 });
    expect(await written()).toEqual(after);

    // Beyond the budget: 2.000,00 − 1.175,50 + 25,00 = 849,50 € at most for Sara.
    const over = await caught(() =>
      correct(manager, { applicationId: sara.id, amountCents: 84_951, reason: 'Aumento' }),
    );
    expect(over.code).toBe('BAD_USER_INPUT');
    expect(over.fields.map((f) => f.field)).toEqual(['amountCents']);
    expect(
      await correct(manager, { applicationId: sara.id, amountCents: 84_950, reason: 'Aumento' }),
    ).toMatchObject({ changed: true, budgetLeftCents: 0 });
    await correct(manager, { applicationId: sara.id, amountCents: 2_500, reason: 'Rettifica' });

    // Rosa's entitlement is on her card: refused, saying to act on the card instead.
    const rosa = (await entryOf(CF.rosa))!;
    const written2 = await written();
    for (const [input, field] of [
      [{ amountCents: 10_000 }, 'amountCents'],
      [{ withdraw: true }, 'withdraw'],
    ] as const) {
      const e = await caught(() =>
        correct(manager, { applicationId: rosa.id, reason: 'Errore', ...input }),
      );
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields.map((f) => f.field)).toEqual([field]);
      expect(e.fields[0]!.message.it).toContain('carta');
      expect(e.fields[0]!.message.en).toContain('revoke the benefit');
    }
    expect(await written()).toEqual(written2);
    expect((await entryOf(CF.rosa))!.amount).toBe('15050');
  });

  it('withdraws an entry without a card, once; refuses a withdrawal once its card is issued', async () => {
    expect(
      await importList(operator, list([HEADER, `${CF.carla};30;Delibera n. 15/2026`])),
    ).toMatchObject({ accepted: true, created: 1 });
    const carla = (await entryOf(CF.carla))!;
    const budgetLeft = 200_000 - 117_550 - 3_000;
    const done = await correct(manager, {
      applicationId: carla.id,
      withdraw: true,
      reason: 'Già beneficiaria di altra misura',
    });
    expect(done).toMatchObject({
      changed: true,
      withdrawn: true,
      amountCents: 3_000,
      budgetLeftCents: budgetLeft + 3_000,
    });
    expect(await committed()).toBe('117550');
    expect((await events(carla.id)).at(-1)).toMatchObject({
      kind: 'WITHDRAWN',
      note: 'Già beneficiaria di altra misura',
    });
    // Out of the list, never topped up; the same withdrawal again changes nothing.
    expect(await entryOf(CF.carla)).toBeNull();
    const after = await written();
    expect(
      await correct(manager, { applicationId: carla.id, withdraw: true, reason: 'Di nuovo' }),
    ).toMatchObject({ changed: false, withdrawn: true });
    const e = await caught(() =>
      correct(manager, { applicationId: carla.id, amountCents: 100, reason: 'Ripensamento' }),
    );
    expect(e.fields.map((f) => f.field)).toEqual(['amountCents']);
    expect(await written()).toEqual(after);

    // Sara's card is issued but empty: her amount may change, she may not be withdrawn.
    await suite.services.cards.issueForCampaign(em(), operator, main.id);
    const sara = (await entryOf(CF.sara))!;
    expect(
      await correct(manager, { applicationId: sara.id, amountCents: 2_000, reason: 'Rettifica' }),
    ).toMatchObject({ changed: true, amountCents: 2_000 });
    const refused = await caught(() =>
      correct(manager, { applicationId: sara.id, withdraw: true, reason: 'Errore' }),
    );
    expect(refused.fields.map((f) => f.field)).toEqual(['withdraw']);
    expect(refused.fields[0]!.message.en).toContain('card was already issued');
    // It points to the revocation, as the credited entry's refusal does.
    expect(refused.fields[0]!.message.it).toContain(
      'revocare il beneficio dalla pagina della domanda',
    );
    expect(refused.fields[0]!.message.en).toContain(
      "revoke the benefit from the application's page",
    );
  });

  it('never leaves credit different from the amount when a correction races a top-up', async () => {
    // Sara: card issued, 20,00 € to credit. The top-up is held after reading the entitlements
    // (another transaction holds her card's row), then the correction comes: it must queue
    // behind the top-up on the campaign's lock and find the credit, not change the amount under
    // it (without that lock the card would get 20,00 € for an entitlement of 40,00 €).
    const sara = (await entryOf(CF.sara))!;
    const [card] = await suite.sql<{ id: string }>(
      `select id from public_welfare.card where application_id = ? and status <> 'REPLACED'`,
      [sara.id],
    );
    const blocker = em();
    await blocker.begin();
    await blocker.execute(`select id from public_welfare.card where id = ? for update`, [card!.id]);
    const topUp = suite.services.topUps.topUpCampaign(em(), operator, main.id);
    await lockWaiters(suite, 1, () => false);
    let done = false;
    const corrected = correct(manager, {
      applicationId: sara.id,
      amountCents: 4_000,
      reason: 'Rettifica',
    }).finally(() => (done = true));
    await lockWaiters(suite, 2, () => done);
    await blocker.commit();
    const [credit, correction] = await Promise.allSettled([topUp, corrected]);
    expect(credit.status).toBe('fulfilled');
    expect(correction.status).toBe('rejected');
    const refusal = (correction as PromiseRejectedResult).reason as { code: string };
    expect(refusal.code).toBe('BAD_USER_INPUT');
    const [tranches] = await suite.sql<{ credited: string }>(
      `select coalesce(sum(credited_cents), 0)::text as credited
         from public_welfare.application_tranche where application_id = ?`,
      [sara.id],
    );
    expect(tranches!.credited).toBe('2000');
    expect((await entryOf(CF.sara))!.amount).toBe('2000');
  });

  it('never issues a card for an entry withdrawn while the cards are being issued', async () => {
    // A new entry without a card for each order. Each order is paused by another transaction holding a lock:
    // (1) the issuance is held on its Comune's issuance lock when the withdrawal comes; (2) the
    // withdrawal is held on the entry's row when the issuance comes. Either the card is issued
    // and the withdrawal refused, or the entry is withdrawn and gets no card: never both.
    const entry = async (fiscalCode: string) => {
      const line = `${fiscalCode};10;Delibera n. 16/2026`;
      expect(await importList(operator, list([HEADER, line]))).toMatchObject({ created: 1 });
      return (await entryOf(fiscalCode))!;
    };
    const cardsOf = async (applicationId: string) =>
      (
        await suite.sql<{ n: string }>(
          `select count(*)::text as n from public_welfare.card
            where application_id = ? and status <> 'REPLACED'`,
          [applicationId],
        )
      )[0]!.n;
    const statusOf = async (applicationId: string) =>
      (
        await suite.sql<{ status: string }>(
          `select status from public_welfare.application where id = ?`,
          [applicationId],
        )
      )[0]!.status;
    const race = async (
      hold: (blocker: ReturnType<typeof em>) => Promise<unknown>,
      first: () => Promise<unknown>,
      second: () => Promise<unknown>,
    ) => {
      const blocker = em();
      await blocker.begin();
      await hold(blocker);
      const one = first();
      await lockWaiters(suite, 1, () => false);
      let done = false;
      const two = second().finally(() => (done = true));
      await lockWaiters(suite, 2, () => done);
      await blocker.commit();
      return Promise.allSettled([one, two]);
    };
    const withdraw = (applicationId: string) =>
      correct(manager, { applicationId, withdraw: true, reason: 'Già beneficiario' });
    const issue = () => suite.services.cards.issueForCampaign(em(), operator, main.id);

    // (1) The issuance first: Anna's card is issued, her withdrawal refused.
    const anna = await entry(CF.anna);
    const [issued1, withdrawn1] = await race(
      (blocker) =>
        blocker.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
          `card-issue:${COMUNE_A}`,
        ]),
      issue,
      () => withdraw(anna.id),
    );
    expect(issued1.status).toBe('fulfilled');
    expect(withdrawn1.status).toBe('rejected');
    const refusal = (withdrawn1 as PromiseRejectedResult).reason as {
      code: string;
      fields: { field: string }[];
    };
    expect(refusal.code).toBe('BAD_USER_INPUT');
    expect(refusal.fields.map((f) => f.field)).toEqual(['withdraw']);
    expect(await statusOf(anna.id)).toBe('APPROVED');
    expect(await cardsOf(anna.id)).toBe('1');

    // (2) The withdrawal first: Gino is withdrawn and the issuance gives him no card.
    const gino = await entry(CF.gino);
    const [withdrawn2, issued2] = await race(
      (blocker) =>
        blocker.execute(`select id from public_welfare.application where id = ? for key share`, [
          gino.id,
        ]),
      () => withdraw(gino.id),
      issue,
    );
    expect(withdrawn2).toMatchObject({ status: 'fulfilled', value: { changed: true } });
    expect(issued2.status).toBe('fulfilled');
    expect(await statusOf(gino.id)).toBe('WITHDRAWN');
    expect(await cardsOf(gino.id)).toBe('0');
  });
});

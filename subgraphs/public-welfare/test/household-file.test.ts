import { randomUUID } from 'node:crypto';
import { createLogger, type Caller } from '@welfare/kit';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/modules/campaign/campaign.entity.js';
import { allHouseholdFacts } from '../src/modules/campaign/facts.js';
import { householdAttachmentRoutes } from '../src/modules/household/household-attachment.routes.js';
import { buildPublicWelfareSchema } from '../src/schema.js';
import { PDF } from './campaign-fixtures.js';
import type { ShopAccreditation } from '../src/modules/shop/shop.entity.js';
import { CF, REGISTRY } from './fixtures.js';
import {
  ADMIN,
  ANONYMOUS,
  CITIZEN,
  COMUNE_A,
  COMUNE_B,
  INCOME_HEADER,
  REGISTRY_HEADER,
  csv,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';
import {
  accredit,
  applyAndApprove,
  citizen,
  liveCard,
  merchantPerson,
  operator,
  publishCampaign,
} from './money-world.js';
import { errorFields } from '@welfare/kit/test-suite';

/*
 * The household file (issue 19): the registry search by codice fiscale, family name and registry
 * code, the parts of `Household` (income history, applications, cards, credit, payments,
 * messages) and the social workers' notes. Comune A has the fixtures' four households; Comune B has
 * Mario again (household B001), which a search of Comune A must never find.
 */

let suite: Suite;
const em = () => suite.orm.em.fork();
const operatorB = staff(COMUNE_B);
const mario = citizen(CF.mario);
const SHOP = randomUUID();
const cashier = merchantPerson(SHOP, 'CASHIER');
let campaign: Campaign;
let shop: ShopAccreditation;
let f001: string;
let server: RunningSubgraph;
let sign: Awaited<ReturnType<typeof createTokenSigner>>;
/** The attachment limit of the test routes (bytes). */
const ATTACHMENT_MAX = 64 * 1024;
/** Valid codici fiscali of two people named Nicolò (F005, F006), only in Comune A. */
const NICOLO = { pietro: 'NCLPTR48P09A592K', carla: 'NCLCRL70T52A592L' };

const SEARCH = `query ($comuneId: ID!, $search: HouseholdSearch!) {
  householdSearch(comuneId: $comuneId, search: $search) { id code }
}`;

const FILE = `query ($id: ID!) { household(id: $id) {
  code
  members { givenName familyName }
  incomeHistory { declarantFiscalCode iseeCents validUntil }
  applications { protocolNumber status submittedAt campaign { title } }
  cards { number status holderFiscalCode }
  cardBalances { campaignTitle creditedCents spentCents availableCents }
  cardPayments { amountCents category status }
  messages { subject channel }
} }`;

const NOTES = `query ($id: ID!) { household(id: $id) { notes { text createdAt author { id } } } }`;
const ADD_NOTE = `mutation ($input: AddHouseholdNoteInput!) {
  addHouseholdNote(input: $input) { id text author { id } }
}`;

async function codes(search: Record<string, string>, caller = operator, comuneId = COMUNE_A) {
  const result = await suite.run<{ householdSearch: { code: string }[] }>(
    SEARCH,
    { comuneId, search },
    caller,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.householdSearch.map((h) => h.code);
}

/** Audit rows about notes (written or read) in Comune A. */
async function auditedNotes(): Promise<number> {
  const [row] = await suite.orm.em.getConnection().execute<{ n: number }[]>(
    `select count(*)::int as n from public_welfare.audit_event
        where comune_id = ? and action in ('ADD_HOUSEHOLD_NOTE', 'READ_HOUSEHOLD_NOTES')`,
    [COMUNE_A],
  );
  return row!.n;
}

beforeAll(async () => {
  suite = await setupSuite('household_file');
  await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
  // Two declarations in F001 (Mario's and Anna's), each valid for years.
  await suite.importText(
    operator,
    COMUNE_A,
    'INCOME',
    csv([
      INCOME_HEADER,
      `${CF.mario};12.345,67;ORDINARIO;31/12/2099;NO`,
      `${CF.anna};9.000;ORDINARIO;30/06/2098;NO`,
      `${CF.sara};4.500,5;minorenni;31/12/2099;SI`,
    ]),
  );
  await suite.importText(
    operatorB,
    COMUNE_B,
    'REGISTRY',
    csv([
      REGISTRY_HEADER,
      `B001;${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Palermo 3;SI;NO`,
      `B002;${CF.carla};Rossetti;Carla;12/12/1970;F;INTESTATARIO;Via Palermo 5;SI;NO`,
    ]),
  );
  // Accented family names as registries write them: a letter with its accent, an apostrophe.
  await suite.importText(
    operator,
    COMUNE_A,
    'REGISTRY',
    csv([
      REGISTRY_HEADER,
      `F005;${NICOLO.pietro};Nicolò;Pietro;09/09/1948;M;INTESTATARIO;Via Dante 1;SI;NO`,
      `F006;${NICOLO.carla};NICOLO';Carla;12/12/1970;F;INTESTATARIO;Via Dante 2;SI;NO`,
    ]),
  );
  // Mario applies, is approved, gets a card with credit and pays at a shop.
  campaign = await publishCampaign(suite);
  await applyAndApprove(suite, mario, campaign);
  const { issued } = await suite.services.cards.issueForCampaign(em(), operator, campaign.id);
  await suite.services.topUps.topUpCampaign(em(), operator, campaign.id);
  shop = await accredit(suite, merchantPerson(SHOP, 'OWNER'), SHOP, campaign);
  await suite.services.payments.charge(em(), cashier, {
    idempotencyKey: randomUUID(),
    accreditationId: shop.id,
    card: { fiscalCode: CF.mario },
    pin: issued.find((i) => i.fiscalCode === CF.mario)!.pin,
    amountCents: 1_250,
    category: 'FOOD',
  });
  const [found] = await suite.services.householdFile.search(em(), operator, COMUNE_A, {
    code: 'F001',
  });
  f001 = found!.id;
  // The attachment routes over HTTP, as the gateway calls them.
  const keys = await generateGatewayKeys();
  sign = await createTokenSigner(keys.privateKey);
  server = await startSubgraph({
    name: 'public-welfare',
    schema: await buildPublicWelfareSchema(suite.services),
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: keys.publicKey,
    logger: createLogger('public-welfare-test', 'silent'),
    routes: householdAttachmentRoutes({
      orm: suite.orm,
      householdFile: suite.services.householdFile,
      maxBytes: ATTACHMENT_MAX,
    }),
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await suite.close();
});

describe('householdSearch', () => {
  it('finds by codice fiscale (any case), family name prefix and registry code', async () => {
    await expect(codes({ fiscalCode: CF.anna.toLowerCase() })).resolves.toEqual(['F001']);
    await expect(codes({ fiscalCode: ` ${CF.gino} ` })).resolves.toEqual(['F003']);
    await expect(codes({ familyName: 'ross' })).resolves.toEqual(['F001']);
    await expect(codes({ familyName: 'VERDI' })).resolves.toEqual(['F002']);
    await expect(codes({ code: 'f004' })).resolves.toEqual(['F004']);
    // Every given criterion must hold.
    await expect(codes({ familyName: 'Rossi', code: 'F002' })).resolves.toEqual([]);
    await expect(codes({ familyName: 'Neri', fiscalCode: CF.sara })).resolves.toEqual(['F003']);
    // `%` and `_` are letters, not wildcards.
    await expect(codes({ familyName: 'R%' })).resolves.toEqual([]);
    await expect(codes({ familyName: '__' })).resolves.toEqual([]);
  });

  it('finds a registry code (any case) through its index, not by reading the Comune’s households', async () => {
    // The search's own query (lookupHouseholdIds); seq scans off: the table is tiny here.
    const plan = await em().transactional(async (tx) => {
      await tx.execute('set local enable_seqscan = off');
      return tx.execute<{ 'QUERY PLAN': string }[]>(
        `explain select h."id" from public_welfare.household h
          where h."comune_id" = ? and lower(h."code") = lower(?)
          order by h."code", h."id" limit ?`,
        [COMUNE_A, 'f004', 20],
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/household_comune_code_lower_index/);
    expect(text).toMatch(/Index Cond: .*lower\(code\) = 'f004'/);
  });

  it('ignores accents and apostrophes in family names, keeping the prefix match', async () => {
    for (const familyName of ['Nicolo', 'nicolò', "NICOLO'", 'Nicolo’', 'NICOLÒ', 'nic']) {
      await expect(codes({ familyName }), familyName).resolves.toEqual(['F005', 'F006']);
    }
    // A decomposed spelling (O + combining grave) is the same name.
    await expect(codes({ familyName: 'Nicolo\u0300' })).resolves.toEqual(['F005', 'F006']);
    // Still a prefix of the name, not a substring; letters still count.
    await expect(codes({ familyName: 'icolo' })).resolves.toEqual([]);
    await expect(codes({ familyName: 'Nicola' })).resolves.toEqual([]);
    const result = await suite.run(
      SEARCH,
      { comuneId: COMUNE_A, search: { familyName: "N'" } },
      operator,
    );
    expect(errorFields(result)).toEqual(['search.familyName']);
    // The folded prefix is a constant the index serves (seq scans off: the table is tiny here).
    const plan = await em().transactional(async (tx) => {
      await tx.execute('set local enable_seqscan = off');
      return tx.execute<{ 'QUERY PLAN': string }[]>(
        `explain select 1 from public_welfare.household_member m
          where m.comune_id = ? and m.family_name_folded like public_welfare.fold_name(?) || '%'`,
        [COMUNE_A, "Nicolò'"],
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/household_member_family_name_folded_index/);
    expect(text).toContain("'nicolo%'");
  });

  it('never finds another Comune’s household', async () => {
    // Mario is also in Comune B's B001; Carla Rossetti is only there.
    await expect(codes({ fiscalCode: CF.mario })).resolves.toEqual(['F001']);
    await expect(codes({ familyName: 'Rossetti' })).resolves.toEqual([]);
    await expect(codes({ code: 'B001' })).resolves.toEqual([]);
    await expect(codes({ familyName: 'Ross' }, operatorB, COMUNE_B)).resolves.toEqual([
      'B001',
      'B002',
    ]);
  });

  it('is refused to anyone but the Comune’s staff', async () => {
    for (const [caller, code] of [
      [ANONYMOUS, 'UNAUTHENTICATED'],
      [CITIZEN, 'FORBIDDEN'],
      [operatorB, 'FORBIDDEN'],
    ] as const) {
      const result = await suite.run(
        SEARCH,
        { comuneId: COMUNE_A, search: { code: 'F001' } },
        caller,
      );
      expect(errorCode(result)).toBe(code);
      expect(result.data?.householdSearch ?? null).toBeNull();
    }
    await expect(codes({ code: 'F001' }, ADMIN)).resolves.toEqual(['F001']);
  });

  it('answers field errors for missing or invalid criteria', async () => {
    for (const [search, fields] of [
      [{}, ['search']],
      [{ fiscalCode: ' ', familyName: '', code: '' }, ['search']],
      [{ fiscalCode: 'RSSMRA80A01A592C' }, ['search.fiscalCode']],
      [{ familyName: 'R' }, ['search.familyName']],
      [{ code: 'X'.repeat(51), familyName: 'R' }, ['search.code', 'search.familyName']],
    ] as const) {
      const result = await suite.run(SEARCH, { comuneId: COMUNE_A, search }, operator);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(fields);
    }
  });
});

describe('the household file', () => {
  it('brings together members, income history, applications, cards, credit, payments, messages', async () => {
    const before = await suite.count('audit_event');
    const result = await suite.run<{ household: Record<string, unknown> }>(
      FILE,
      { id: f001 },
      operator,
    );
    expect(result.errors).toBeUndefined();
    const file = result.data!.household;
    expect(file.code).toBe('F001');
    expect((file.members as { givenName: string }[]).map((m) => m.givenName)).toEqual([
      'Mario',
      'Anna',
      'Luca',
    ]);
    expect(file.incomeHistory).toEqual([
      { declarantFiscalCode: CF.mario, iseeCents: 1_234_567, validUntil: '2099-12-31' },
      { declarantFiscalCode: CF.anna, iseeCents: 900_000, validUntil: '2098-06-30' },
    ]);
    const applications = file.applications as {
      protocolNumber: string;
      status: string;
      campaign: { title: string };
    }[];
    expect(applications).toHaveLength(1);
    expect(applications[0]).toMatchObject({
      status: 'APPROVED',
      campaign: { title: campaign.title },
    });
    expect(applications[0]!.protocolNumber).toMatch(/^\d{4}\/\d+$/);
    const card = await liveCard(suite, CF.mario);
    expect(file.cards).toEqual([
      { number: card.number, status: 'ACTIVE', holderFiscalCode: CF.mario },
    ]);
    const [balance] = file.cardBalances as {
      creditedCents: number;
      spentCents: number;
      availableCents: number;
    }[];
    expect(balance!.spentCents).toBe(1_250);
    expect(balance!.availableCents).toBe(balance!.creditedCents - 1_250);
    expect(file.cardPayments).toEqual([
      { amountCents: 1_250, category: 'FOOD', status: 'AUTHORISED' },
    ]);
    expect((file.messages as unknown[]).length).toBeGreaterThan(0);
    // Reading the income history is audited (READ_INCOME on the household).
    const audited = await suite.orm.em
      .getConnection()
      .execute<{ action: string; subject: string }[]>(
        `select action, subject from public_welfare.audit_event order by seq desc limit 1`,
      );
    expect(audited[0]).toEqual({ action: 'READ_INCOME', subject: `household:${f001}` });
    expect(await suite.count('audit_event')).toBe(before + 1);
  });

  it('shows another household nothing of Mario’s', async () => {
    const [f003] = await suite.services.householdFile.search(em(), operator, COMUNE_A, {
      code: 'F003',
    });
    const result = await suite.run<{ household: Record<string, unknown[]> }>(
      FILE,
      { id: f003!.id },
      operator,
    );
    expect(result.errors).toBeUndefined();
    const file = result.data!.household;
    for (const part of ['applications', 'cards', 'cardBalances', 'cardPayments', 'messages']) {
      expect(file[part], part).toEqual([]);
    }
    expect(file.incomeHistory).toHaveLength(1);
  });

  it('keeps the ISEE of past years: a new year adds a row, the same year replaces it', async () => {
    const history = async () => {
      const result = await suite.run<{
        household: {
          latestIncome: { iseeCents: number; validUntil: string };
          incomeHistory: { declarantFiscalCode: string; iseeCents: number; validUntil: string }[];
        };
      }>(
        `query ($id: ID!) { household(id: $id) {
          latestIncome { iseeCents validUntil }
          incomeHistory { declarantFiscalCode iseeCents validUntil }
        } }`,
        { id: f001 },
        operator,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.household;
    };
    const facts = async () =>
      (await allHouseholdFacts(em(), COMUNE_A)).find((h) => h.id === f001)!.facts.iseeCents;
    // Mario's attestation of 2025 (expired) arrives after the one valid until 2099.
    const past = await suite.importText(
      operator,
      COMUNE_A,
      'INCOME',
      csv([INCOME_HEADER, `${CF.mario};20.000;ORDINARIO;31/12/2025;NO`]),
    );
    expect(past).toMatchObject({ status: 'SUCCEEDED', rowsChanged: 1 });
    let file = await history();
    expect(file.incomeHistory).toEqual([
      { declarantFiscalCode: CF.mario, iseeCents: 1_234_567, validUntil: '2099-12-31' },
      { declarantFiscalCode: CF.anna, iseeCents: 900_000, validUntil: '2098-06-30' },
      { declarantFiscalCode: CF.mario, iseeCents: 2_000_000, validUntil: '2025-12-31' },
    ]);
    // The latest declaration (filters, the household's page) and the latest valid one
    // (eligibility and ranking) are still those of 2099.
    expect(file.latestIncome).toEqual({ iseeCents: 1_234_567, validUntil: '2099-12-31' });
    await expect(facts()).resolves.toBe(1_234_567);
    // A correction of the same year replaces that year's declaration; the past one stays.
    const corrected = await suite.importText(
      operator,
      COMUNE_A,
      'INCOME',
      csv([INCOME_HEADER, `${CF.mario};11.000;ORDINARIO;30/11/2099;NO`]),
    );
    expect(corrected).toMatchObject({ status: 'SUCCEEDED', rowsChanged: 1 });
    file = await history();
    expect(file.incomeHistory.map((d) => [d.iseeCents, d.validUntil])).toEqual([
      [1_100_000, '2099-11-30'],
      [900_000, '2098-06-30'],
      [2_000_000, '2025-12-31'],
    ]);
    await expect(facts()).resolves.toBe(1_100_000);
    // The same file again changes nothing.
    const again = await suite.importText(
      operator,
      COMUNE_A,
      'INCOME',
      csv([INCOME_HEADER, `${CF.mario};11.000;ORDINARIO;30/11/2099;NO`]),
    );
    expect(again).toMatchObject({ status: 'SUCCEEDED', rowsChanged: 0 });
    expect(await suite.count('income_declaration', COMUNE_A)).toBe(4);
  });

  it('is FORBIDDEN to another Comune’s staff', async () => {
    const result = await suite.run(FILE, { id: f001 }, operatorB);
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(result.data?.household ?? null).toBeNull();
  });
});

describe('social workers’ notes', () => {
  it('are written by the Comune’s staff and every read is audited', async () => {
    const added = await suite.run<{ addHouseholdNote: { text: string; author: { id: string } } }>(
      ADD_NOTE,
      {
        input: {
          householdId: f001,
          note: '  Colloquio con la madre:\nrichiesto ISEE aggiornato. ',
        },
      },
      operator,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addHouseholdNote).toMatchObject({
      text: 'Colloquio con la madre:\nrichiesto ISEE aggiornato.',
      author: { id: operator.personId },
    });
    const before = await suite.count('audit_event');
    const read = await suite.run<{ household: { notes: { text: string }[] } }>(
      NOTES,
      { id: f001 },
      staff(COMUNE_A, 'MANAGER'),
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.household.notes.map((n) => n.text)).toEqual([
      'Colloquio con la madre:\nrichiesto ISEE aggiornato.',
    ]);
    expect(await suite.count('audit_event')).toBe(before + 1);
    const [last] = await suite.orm.em
      .getConnection()
      .execute<{ action: string; subject: string }[]>(
        `select action, subject from public_welfare.audit_event order by seq desc limit 1`,
      );
    expect(last).toEqual({ action: 'READ_HOUSEHOLD_NOTES', subject: `household:${f001}` });
  });

  it('refuses another Comune’s staff, citizens and bad input, writing nothing', async () => {
    const notes = await suite.count('household_note');
    const audit = await auditedNotes();
    for (const [caller, code] of [
      [operatorB, 'FORBIDDEN'],
      [CITIZEN, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      const added = await suite.run(ADD_NOTE, { input: { householdId: f001, note: 'x' } }, caller);
      expect(errorCode(added)).toBe(code);
      const read = await suite.run(NOTES, { id: f001 }, caller);
      expect(read.data?.household ?? null).toBeNull();
    }
    for (const note of ['', '   \n ', 'x'.repeat(4_001)]) {
      const added = await suite.run(ADD_NOTE, { input: { householdId: f001, note } }, operator);
      expect(errorCode(added)).toBe('BAD_USER_INPUT');
      expect(errorFields(added)).toEqual(['note']);
    }
    const missing = await suite.run(
      ADD_NOTE,
      { input: { householdId: randomUUID(), note: 'x' } },
      operator,
    );
    expect(errorCode(missing)).toBe('NOT_FOUND');
    expect(await suite.count('household_note')).toBe(notes);
    // Refusals write only the kit's TENANCY_REFUSED rows: no note, no read of notes.
    expect(await auditedNotes()).toBe(audit);
  });

  it('takes a note of exactly 4,000 characters', async () => {
    const added = await suite.run<{ addHouseholdNote: { text: string } }>(
      ADD_NOTE,
      { input: { householdId: f001, note: 'é'.repeat(4_000) } },
      operator,
    );
    expect(added.errors).toBeUndefined();
    expect(added.data!.addHouseholdNote.text).toHaveLength(4_000);
  });
});

describe('social workers’ attachments', () => {
  const auth = async (caller: Caller) => ({
    authorization: `Bearer ${await sign('public-welfare', caller, 'req-1')}`,
  });
  const upload = async (caller: Caller, query: Record<string, string>, body: Buffer) =>
    fetch(`${server.url}/files/household-attachments?${new URLSearchParams(query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(await auth(caller)) },
      body,
    });
  const download = async (caller: Caller, id: string) =>
    fetch(`${server.url}/files/household-attachment?id=${id}`, { headers: await auth(caller) });
  const LIST = `query ($id: ID!) { household(id: $id) {
    attachments { id description fileName contentType sizeBytes createdAt uploadedBy { id } }
  } }`;
  /** Audit rows about attachments in Comune A. */
  const audited = async (action: string) => {
    const [row] = await suite.orm.em
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from public_welfare.audit_event where comune_id = ? and action = ?`,
        [COMUNE_A, action],
      );
    return row!.n;
  };
  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('png body'),
  ]);
  let attachmentId: string;

  it('stores a PDF with its description, lists it and audits every download', async () => {
    const answer = await upload(
      operator,
      {
        householdId: f001,
        name: 'relazione visita domiciliare.pdf',
        description: '  Relazione della visita\ndomiciliare del 3/12 ',
      },
      PDF,
    );
    expect(answer.status).toBe(201);
    attachmentId = ((await answer.json()) as { attachmentId: string }).attachmentId;
    expect(await audited('ADD_HOUSEHOLD_ATTACHMENT')).toBe(1);
    const png = await upload(
      operator,
      { householdId: f001, name: 'foto.png', description: 'Foto' },
      PNG,
    );
    expect(png.status).toBe(201);

    const listed = await suite.run<{ household: { attachments: Record<string, unknown>[] } }>(
      LIST,
      { id: f001 },
      staff(COMUNE_A, 'MANAGER'),
    );
    expect(listed.errors).toBeUndefined();
    const [newest, first] = listed.data!.household.attachments;
    expect(newest).toMatchObject({ fileName: 'foto.png', contentType: 'image/png' });
    expect(first).toMatchObject({
      id: attachmentId,
      description: 'Relazione della visita domiciliare del 3/12',
      fileName: 'relazione visita domiciliare.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      uploadedBy: { id: operator.personId },
    });

    const reads = await audited('READ_HOUSEHOLD_ATTACHMENT');
    const file = await download(operator, attachmentId);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect(await audited('READ_HOUSEHOLD_ATTACHMENT')).toBe(reads + 1);
    const [last] = await suite.orm.em
      .getConnection()
      .execute<{ action: string; subject: string }[]>(
        `select action, subject from public_welfare.audit_event order by seq desc limit 1`,
      );
    expect(last).toEqual({
      action: 'READ_HOUSEHOLD_ATTACHMENT',
      subject: `household-attachment:${attachmentId}`,
    });
  });

  it('refuses another Comune’s staff, citizens, anonymous callers and bad files, writing nothing', async () => {
    const stored = await suite.count('household_attachment');
    const reads = await audited('READ_HOUSEHOLD_ATTACHMENT');
    const q = { householdId: f001, name: 'a.pdf', description: 'Relazione' };
    for (const [caller, status] of [
      [operatorB, 403],
      [CITIZEN, 403],
      [mario, 403],
      [ANONYMOUS, 401],
    ] as const) {
      expect((await upload(caller, q, PDF)).status).toBe(status);
      expect((await download(caller, attachmentId)).status).toBe(status);
      const listed = await suite.run(LIST, { id: f001 }, caller);
      expect(listed.data?.household ?? null).toBeNull();
    }
    expect((await upload(operator, { ...q, householdId: randomUUID() }, PDF)).status).toBe(404);
    expect((await download(operator, randomUUID())).status).toBe(404);
    expect((await download(operator, 'not-a-uuid')).status).toBe(404);
    // Too large (beyond the route's limit), then field errors.
    const large = Buffer.concat([PDF, Buffer.alloc(ATTACHMENT_MAX)]);
    expect((await upload(operator, q, large)).status).toBe(413);
    for (const [query, body, fields] of [
      [{ ...q, description: '  ' }, PDF, ['description']],
      [{ ...q, description: 'x'.repeat(501) }, PDF, ['description']],
      [q, Buffer.from('MZ not a document'), ['file']],
      [q, Buffer.alloc(0), ['file']],
      [{ ...q, name: '', description: '' }, PDF, ['description', 'file']],
    ] as const) {
      const answer = await upload(operator, query, body);
      expect(answer.status).toBe(400);
      const error = (await answer.json()) as {
        errors: { extensions: { fields: { field: string }[] } }[];
      };
      expect(error.errors[0]!.extensions.fields.map((f) => f.field)).toEqual(fields);
    }
    expect(await suite.count('household_attachment')).toBe(stored);
    expect(await audited('READ_HOUSEHOLD_ATTACHMENT')).toBe(reads);
  });
});

import { randomUUID } from 'node:crypto';
import { citizen, staff, type Suite } from '@welfare/kit/test-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Circuit } from '../src/modules/circuit/circuit.entity.js';
import { accountCodes, book } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import { randomFiscalCode, seedCircuit, seedMember } from './fixtures.js';
import { ANONYMOUS, ORG_A, ORG_B, errorCode, errorFields, member, setupSuite } from './helpers.js';

/*
 * Fundraising projects and donations of IES: an association creates a project (field errors,
 * tenancy), members donate (idempotent by key, no fee, never beyond the wallet, 30 donors at once
 * with an exact total), the public page shows the total and the number of donors (names only of
 * those who agreed), the circuit's staff hide a project with a reason, the organisation closes it
 * and receives the IES in its wallet.
 */

let suite: Suite<Services>;
const em = () => suite.orm.em.fork();
const MANAGER = randomUUID();
const ASSOCIATION = ORG_A;
const SHOP = ORG_B;
let circuit: Circuit;
let associationWallet: string;
const admin = member(ASSOCIATION, 'ASSOCIATION', 'ADMIN');
const GIUSEPPE_CF = randomFiscalCode();
const giuseppe = { ...citizen(), fiscalCode: GIUSEPPE_CF };
let giuseppeWallet: string;

const PROJECT_FIELDS = `id circuitCode organisationName title description targetCents endsOn status
  acceptingDonations raisedCents donorCount publicDonors hidden hiddenReason paidOutCents`;
const CREATE = `mutation ($input: CreateIesProjectInput!) { createIesProject(input: $input) { ${PROJECT_FIELDS} } }`;
const DONATE = `mutation ($input: DonateIesInput!) {
  donateIes(input: $input) { id amountCents showName project { raisedCents donorCount } }
}`;
const PUBLIC_LIST = `query ($code: String!) { iesProjects(circuitCode: $code) { ${PROJECT_FIELDS} } }`;
const ONE = `query ($id: ID!) { iesProject(id: $id) { ${PROJECT_FIELDS} } }`;
const MINE = `query ($org: ID!) { iesOrganisationProjects(organisationId: $org) { ${PROJECT_FIELDS} } }`;
const HIDE = `mutation ($id: ID!, $reason: String!) { hideIesProject(id: $id, reason: $reason) { ${PROJECT_FIELDS} } }`;
const CLOSE = `mutation ($id: ID!) { closeIesProject(id: $id) { ${PROJECT_FIELDS} } }`;

type ProjectData = {
  id: string;
  raisedCents: number;
  donorCount: number;
  publicDonors: string[];
  status: string;
  hidden: boolean;
  hiddenReason: string | null;
  paidOutCents: number | null;
  acceptingDonations: boolean;
};

const inAMonth = () => {
  const d = new Date(Date.now() + 30 * 86_400_000);
  return d.toISOString().slice(0, 10);
};

const projectInput = (over: Record<string, unknown> = {}) => ({
  circuitCode: circuit.code,
  organisationId: ASSOCIATION,
  title: 'Un defibrillatore per la piazza',
  description: 'Raccogliamo IES per comprare un defibrillatore per piazza Vittorio Emanuele.',
  targetCents: 150_000,
  endsOn: inAMonth(),
  ...over,
});

async function createProject(over: Record<string, unknown> = {}): Promise<ProjectData> {
  const result = await suite.run<{ createIesProject: ProjectData }>(
    CREATE,
    { input: projectInput(over) },
    admin,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createIesProject;
}

const donate = (caller: object, input: Record<string, unknown>) =>
  suite.run<{ donateIes: { id: string; project: { raisedCents: number; donorCount: number } } }>(
    DONATE,
    { input: { idempotencyKey: randomUUID(), showName: false, ...input } },
    caller as never,
  );

async function available(accountId: string): Promise<number> {
  const [account] = await book.accounts(em(), { ids: [accountId] });
  return account?.available ?? 0;
}

async function projectBalance(projectId: string): Promise<number> {
  const [account] = await book.accounts(em(), {
    codes: [accountCodes.project(circuit.id, projectId)],
  });
  return account?.posted ?? 0;
}

async function expectBookBalanced(): Promise<void> {
  expect((await book.checkInvariants(em())).problems).toEqual([]);
}

beforeAll(async () => {
  suite = await setupSuite('donation');
  const e = em();
  ({ circuit } = await seedCircuit(e, MANAGER));
  ({ walletId: associationWallet } = await seedMember(e, circuit.id, {
    kind: 'ASSOCIATION',
    organisationId: ASSOCIATION,
    displayName: 'Amici di prova',
  }));
  await seedMember(e, circuit.id, { kind: 'BUSINESS', organisationId: SHOP });
  ({ walletId: giuseppeWallet } = await seedMember(e, circuit.id, {
    fiscalCode: GIUSEPPE_CF,
    displayName: 'Giuseppe di prova',
    issuedCents: 5_000,
  }));
});
afterAll(() => suite?.close());

describe('projects', () => {
  it('are created by an association’s admin, with field errors for bad input (nothing written)', async () => {
    const bad = await suite.run(
      CREATE,
      {
        input: projectInput({
          title: 'x',
          description: 'corta',
          targetCents: 50,
          endsOn: '2020-01-01',
        }),
      },
      admin,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad).sort()).toEqual(['description', 'endsOn', 'targetCents', 'title']);
    expect(await suite.count('project')).toBe(0);
    const project = await createProject();
    expect(project).toMatchObject({
      circuitCode: circuit.code,
      organisationName: 'Amici di prova',
      status: 'OPEN',
      acceptingDonations: true,
      raisedCents: 0,
      donorCount: 0,
      publicDonors: [],
      hidden: false,
    });
  });

  it('are refused to a business, to another organisation’s staff and to anonymous callers', async () => {
    const before = await suite.count('project');
    const shop = await suite.run(
      CREATE,
      { input: projectInput({ organisationId: SHOP }) },
      member(SHOP, 'MERCHANT', 'OWNER'),
    );
    expect(errorCode(shop)).toBe('FORBIDDEN');
    const other = await suite.run(
      CREATE,
      { input: projectInput() },
      member(SHOP, 'MERCHANT', 'OWNER'),
    );
    expect(errorCode(other)).toBe('FORBIDDEN');
    const operator = await suite.run(
      CREATE,
      { input: projectInput() },
      member(ASSOCIATION, 'ASSOCIATION', 'TUTOR'),
    );
    expect(errorCode(operator)).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(CREATE, { input: projectInput() }, ANONYMOUS))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await suite.count('project')).toBe(before);
    // The organisation's list is its own.
    expect(errorCode(await suite.run(MINE, { org: ASSOCIATION }, giuseppe))).toBe('FORBIDDEN');
  });
});

describe('donations', () => {
  it('move IES from the wallet to the project, no fee, once per key; names only when agreed', async () => {
    const project = await createProject();
    const before = await available(giuseppeWallet);
    const key = `dono-${randomUUID()}`;
    const first = await donate(giuseppe, {
      projectId: project.id,
      amountCents: 250,
      idempotencyKey: key,
      showName: true,
    });
    expect(first.errors).toBeUndefined();
    expect(first.data?.donateIes.project).toEqual({ raisedCents: 250, donorCount: 1 });
    const again = await donate(giuseppe, {
      projectId: project.id,
      amountCents: 250,
      idempotencyKey: key,
      showName: true,
    });
    expect(again.data?.donateIes.id).toBe(first.data?.donateIes.id);
    expect(await available(giuseppeWallet)).toBe(before - 250);
    expect(await projectBalance(project.id)).toBe(250);
    // The same key with another amount is a CONFLICT, and moves nothing.
    const other = await donate(giuseppe, {
      projectId: project.id,
      amountCents: 300,
      idempotencyKey: key,
    });
    expect(errorCode(other)).toBe('CONFLICT');
    // An anonymous donor: counted, not named.
    const cf = randomFiscalCode();
    await seedMember(em(), circuit.id, {
      fiscalCode: cf,
      displayName: 'Anonima',
      issuedCents: 100,
    });
    await donate({ ...citizen(), fiscalCode: cf }, { projectId: project.id, amountCents: 100 });
    const page = await suite.run<{ iesProject: ProjectData }>(ONE, { id: project.id }, ANONYMOUS);
    expect(page.data?.iesProject).toMatchObject({
      raisedCents: 350,
      donorCount: 2,
      publicDonors: ['Giuseppe di prova'],
    });
    expect(await available(giuseppeWallet)).toBe(before - 250);
    await expectBookBalanced();
  });

  it('refuse bad input and what the wallet cannot pay with field errors, moving nothing', async () => {
    const project = await createProject();
    const before = await available(giuseppeWallet);
    const bad = await donate(giuseppe, {
      projectId: project.id,
      amountCents: 0,
      idempotencyKey: 'x',
    });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(errorFields(bad).sort()).toEqual(['amountCents', 'idempotencyKey']);
    const tooMuch = await donate(giuseppe, { projectId: project.id, amountCents: before + 1 });
    expect(errorCode(tooMuch)).toBe('BAD_USER_INPUT');
    expect(errorFields(tooMuch)).toEqual(['amountCents']);
    expect(await available(giuseppeWallet)).toBe(before);
    expect(await projectBalance(project.id)).toBe(0);
    expect(await suite.count('donation', { project_id: project.id })).toBe(0);
  });

  it('are refused to a non-member, another circuit’s member and anonymous callers', async () => {
    const project = await createProject();
    const { circuit: other } = await seedCircuit(em(), randomUUID());
    const cf = randomFiscalCode();
    await seedMember(em(), other.id, { fiscalCode: cf, issuedCents: 1_000 });
    for (const caller of [
      { ...citizen(), fiscalCode: randomFiscalCode() },
      { ...citizen(), fiscalCode: cf },
      citizen(),
    ]) {
      expect(errorCode(await donate(caller, { projectId: project.id, amountCents: 100 }))).toBe(
        'FORBIDDEN',
      );
    }
    expect(errorCode(await donate(ANONYMOUS, { projectId: project.id, amountCents: 100 }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await projectBalance(project.id)).toBe(0);
  });

  it('from 30 donors at once add up exactly', async () => {
    const project = await createProject();
    const donors = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const fiscalCode = randomFiscalCode();
        await seedMember(em(), circuit.id, {
          fiscalCode,
          displayName: `Donatore ${i}`,
          issuedCents: 1_000,
        });
        return { ...citizen(), fiscalCode };
      }),
    );
    const results = await Promise.all(
      donors.map((d, i) => donate(d, { projectId: project.id, amountCents: 100 + i })),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const total = Array.from({ length: 30 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0);
    const page = await suite.run<{ iesProject: ProjectData }>(ONE, { id: project.id }, ANONYMOUS);
    expect(page.data?.iesProject).toMatchObject({ raisedCents: total, donorCount: 30 });
    expect(await projectBalance(project.id)).toBe(total);
    await expectBookBalanced();
  });
});

describe('hiding and closing', () => {
  it('the circuit’s staff hide a project with a reason: off the public pages, no donations', async () => {
    const project = await createProject({ title: 'Progetto da nascondere' });
    const otherComune = await suite.run(
      HIDE,
      { id: project.id, reason: 'Contenuto non ammesso' },
      staff(randomUUID()),
    );
    expect(errorCode(otherComune)).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(HIDE, { id: project.id, reason: 'Contenuto' }, admin))).toBe(
      'FORBIDDEN',
    );
    const short = await suite.run(HIDE, { id: project.id, reason: 'x' }, staff(MANAGER));
    expect(errorFields(short)).toEqual(['reason']);
    const hidden = await suite.run<{ hideIesProject: ProjectData }>(
      HIDE,
      { id: project.id, reason: 'Contenuto non ammesso' },
      staff(MANAGER),
    );
    expect(hidden.data?.hideIesProject).toMatchObject({
      hidden: true,
      hiddenReason: 'Contenuto non ammesso',
      acceptingDonations: false,
    });
    const list = await suite.run<{ iesProjects: ProjectData[] }>(
      PUBLIC_LIST,
      { code: circuit.code },
      ANONYMOUS,
    );
    expect(list.data?.iesProjects.map((p) => p.id)).not.toContain(project.id);
    expect(list.data?.iesProjects.length).toBeGreaterThan(0);
    expect(errorCode(await suite.run(ONE, { id: project.id }, ANONYMOUS))).toBe('NOT_FOUND');
    expect(errorCode(await donate(giuseppe, { projectId: project.id, amountCents: 100 }))).toBe(
      'NOT_FOUND',
    );
    const mine = await suite.run<{ iesOrganisationProjects: ProjectData[] }>(
      MINE,
      { org: ASSOCIATION },
      admin,
    );
    expect(mine.data?.iesOrganisationProjects.find((p) => p.id === project.id)).toMatchObject({
      hidden: true,
      hiddenReason: 'Contenuto non ammesso',
    });
  });

  it('the circuit’s staff list every project of the circuit, hidden ones with the reason', async () => {
    const LIST = `query ($id: ID!) { iesCircuitProjects(circuitId: $id) { ${PROJECT_FIELDS} } }`;
    const project = await createProject({ title: 'Progetto per l’elenco dello staff' });
    await suite.run(HIDE, { id: project.id, reason: 'Duplicato' }, staff(MANAGER));
    const list = await suite.run<{ iesCircuitProjects: ProjectData[] }>(
      LIST,
      { id: circuit.id },
      staff(MANAGER),
    );
    expect(list.errors).toBeUndefined();
    expect(list.data?.iesCircuitProjects.find((p) => p.id === project.id)).toMatchObject({
      hidden: true,
      hiddenReason: 'Duplicato',
    });
    expect(errorCode(await suite.run(LIST, { id: circuit.id }, staff(randomUUID())))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await suite.run(LIST, { id: circuit.id }, admin))).toBe('FORBIDDEN');
  });

  it('the organisation closes a project: its IES move to the organisation’s wallet, no more donations', async () => {
    const project = await createProject({ title: 'Progetto da chiudere' });
    await donate(giuseppe, { projectId: project.id, amountCents: 400 });
    const walletBefore = await available(associationWallet);
    expect(errorCode(await suite.run(CLOSE, { id: project.id }, giuseppe))).toBe('FORBIDDEN');
    const closed = await suite.run<{ closeIesProject: ProjectData }>(
      CLOSE,
      { id: project.id },
      admin,
    );
    expect(closed.errors).toBeUndefined();
    expect(closed.data?.closeIesProject).toMatchObject({
      status: 'CLOSED',
      paidOutCents: 400,
      raisedCents: 400,
      acceptingDonations: false,
    });
    expect(await available(associationWallet)).toBe(walletBefore + 400);
    expect(await projectBalance(project.id)).toBe(0);
    // Closing again changes nothing; a donation now is refused.
    await suite.run(CLOSE, { id: project.id }, admin);
    expect(await available(associationWallet)).toBe(walletBefore + 400);
    expect(errorCode(await donate(giuseppe, { projectId: project.id, amountCents: 100 }))).toBe(
      'CONFLICT',
    );
    await expectBookBalanced();
  });

  it('closing while donations arrive pays out exactly what was donated before it, and takes none after', async () => {
    const project = await createProject({ title: 'Progetto chiuso sotto carico' });
    const donors = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const fiscalCode = randomFiscalCode();
        await seedMember(em(), circuit.id, { fiscalCode, issuedCents: 500 });
        return { ...citizen(), fiscalCode };
      }),
    );
    const walletBefore = await available(associationWallet);
    const [closed, ...donations] = await Promise.all([
      suite.run<{ closeIesProject: ProjectData }>(CLOSE, { id: project.id }, admin),
      ...donors.map((d) => donate(d, { projectId: project.id, amountCents: 100 })),
    ]);
    expect(closed.errors).toBeUndefined();
    const accepted = donations.filter((d) => !d.errors).length;
    for (const d of donations) if (d.errors) expect(errorCode(d)).toBe('CONFLICT');
    const page = await suite.run<{ iesProject: ProjectData }>(ONE, { id: project.id }, ANONYMOUS);
    expect(page.data?.iesProject).toMatchObject({
      status: 'CLOSED',
      raisedCents: accepted * 100,
      paidOutCents: accepted * 100,
    });
    expect(await available(associationWallet)).toBe(walletBefore + accepted * 100);
    expect(await projectBalance(project.id)).toBe(0);
    await expectBookBalanced();
  });
});

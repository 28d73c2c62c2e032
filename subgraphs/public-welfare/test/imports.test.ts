import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCsvFiles } from '../src/demo/demo-registry.js';
import { ImportJob } from '../src/modules/imports/import-job.entity.js';
import { ImportRejection } from '../src/modules/imports/import-rejection.entity.js';
import { HouseholdMember } from '../src/modules/household/household-member.entity.js';
import { Household } from '../src/modules/household/household.entity.js';
import { IncomeDeclaration } from '../src/modules/income/income-declaration.entity.js';
import { CF, INCOME, INCOME_LINES, REGISTRY, REGISTRY_LINES } from './fixtures.js';
import {
  COMUNE_A,
  COMUNE_B,
  INCOME_HEADER,
  REGISTRY_HEADER,
  caught,
  csv,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

let suite: Suite;
const operator = staff(COMUNE_A);
const operatorB = staff(COMUNE_B, 'MANAGER');

beforeAll(async () => {
  suite = await setupSuite('imports');
});
afterAll(() => suite.close());

const rejectionsOf = async (jobId: string) =>
  (
    await suite.orm.em
      .fork()
      .find(ImportRejection, { job: jobId }, { orderBy: { line: 'asc', field: 'asc' } })
  ).map((r) => [r.line, r.field]);

describe('a clean import', () => {
  it('imports the registry and the income data of a BOM file with decimal commas', async () => {
    const registry = await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY);
    expect(registry).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 8,
      rowsImported: 8,
      rowsRejected: 0,
      createdBy: operator.personId,
    });
    expect(registry.startedAt).toBeInstanceOf(Date);
    expect(registry.finishedAt).toBeInstanceOf(Date);
    expect(await suite.count('household', COMUNE_A)).toBe(4);
    expect(await suite.count('household_member', COMUNE_A)).toBe(8);
    expect(await suite.count('import_staging_row')).toBe(0);

    const em = suite.orm.em.fork();
    const f002 = await em.findOneOrFail(Household, { comuneId: COMUNE_A, code: 'F002' });
    // A quoted field keeps its `;`.
    expect(f002).toMatchObject({ address: 'Via Mazzini 2; interno 3', resident: true });
    const anna = await em.findOneOrFail(HouseholdMember, {
      fiscalCodeHash: suite.services.pii.lookupHash('fiscal-code', CF.anna),
    });
    // Lower-case codice fiscale and relation are normalised; an empty disability cell is NO.
    expect(anna).toMatchObject({ relation: 'CONIUGE', disability: false, birthDate: '1982-06-15' });
    expect(suite.services.pii.decrypt(anna.fiscalCodeCipher)).toBe(CF.anna);

    const income = await suite.importText(operator, COMUNE_A, 'INCOME', INCOME);
    expect(income).toMatchObject({ status: 'SUCCEEDED', rowsRead: 3, rowsImported: 3 });
    const declarations = await em.find(
      IncomeDeclaration,
      { comuneId: COMUNE_A },
      { orderBy: { iseeCents: 'asc' } },
    );
    expect(declarations.map((d) => [d.iseeCents, d.iseeType, d.receivesPublicSupport])).toEqual([
      [450050, 'MINORENNI', true],
      [800000, 'SOCIOSANITARIO', true],
      [1234567, 'ORDINARIO', false],
    ]);
    expect(declarations[0]!.validUntil).toBe('2026-12-31');
  });

  it('does not store a codice fiscale in clear anywhere', async () => {
    const dump = await suite.orm.em.getConnection().execute<{ t: string }[]>(
      `select (select json_agg(m)::text from public_welfare.household_member m) ||
                (select json_agg(d)::text from public_welfare.income_declaration d) as t`,
    );
    expect(dump[0]!.t.length).toBeGreaterThan(100);
    for (const cf of Object.values(CF)) expect(dump[0]!.t).not.toContain(cf);
  });
});

describe('a file with malformed rows', () => {
  it('fails the registry job, reports every rejection by line and field, writes nothing', async () => {
    const households = await suite.count('household');
    const members = await suite.count('household_member');
    const job = await suite.importText(
      operator,
      COMUNE_A,
      'REGISTRY',
      csv([
        REGISTRY_HEADER,
        `G001;${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Nuova 1;SI;NO`,
        `G001;RSSMRA80A01A592X;Rossi;Maria;01/01/1980;F;CONIUGE;Via Nuova 1;SI;NO`,
        `G002;${CF.anna};Bianchi;Anna;31/02/1990;F;INTESTATARIO;Via Nuova 2;SI;NO`,
        `G002;${CF.luca};Rossi;Luca;03/03/2015;M;ZIO;Via Nuova 2;SI;NO`,
        `G003;${CF.rosa};Verdi;Rosa`,
        `G004;${CF.mario};Rossi;Mario;01/01/1980;X;INTESTATARIO;Via Nuova 4;FORSE;NO`,
        `G005;${CF.carla};Russo;Carla;12/12/2999;F;INTESTATARIO;;SI;NO`,
      ]),
    );
    expect(job).toMatchObject({
      status: 'FAILED',
      rowsRead: 7,
      rowsRejected: 6,
      rowsImported: 0,
    });
    expect(await rejectionsOf(job.id)).toEqual([
      [3, 'codice_fiscale'],
      [4, 'data_nascita'],
      [5, 'relazione'],
      [6, 'riga'],
      [7, 'codice_fiscale'], // the same codice fiscale as line 2
      [7, 'residente'],
      [7, 'sesso'],
      [8, 'data_nascita'], // in the future
      [8, 'indirizzo'],
    ]);
    const rejection = await suite.orm.em.fork().findOneOrFail(ImportRejection, {
      job: job.id,
      line: 7,
      field: 'codice_fiscale',
    });
    expect(rejection.reasonIt).toContain('riga 2');
    expect(rejection.reasonEn).toContain('line 2');
    expect(await suite.count('household')).toBe(households);
    expect(await suite.count('household_member')).toBe(members);
    expect(await suite.count('import_staging_row')).toBe(0);
  });

  it('fails the income job on bad amounts, dates and types, writes nothing', async () => {
    const before = await suite.count('income_declaration');
    const job = await suite.importText(
      operator,
      COMUNE_A,
      'INCOME',
      csv([
        INCOME_HEADER,
        `${CF.anna};-5,00;ORDINARIO;31/12/2026;NO`,
        `${CF.luca};12,34,5;ORDINARIO;31/12/2026;NO`,
        `${CF.pietro};2.000.000,00;ORDINARIO;31/12/2026;NO`,
        `${CF.gino};1.000;ORDINARIO;2026-12-31;NO`,
        `${CF.carla};1000,00;SPECIALE;31/12/2026;NO`,
        `${CF.mario};12.34;ORDINARIO;31/12/2026;NO`,
        `${CF.rosa};100;ORDINARIO;31/12/2026;NO`,
      ]),
    );
    expect(job).toMatchObject({ status: 'FAILED', rowsRead: 7, rowsRejected: 6 });
    expect(await rejectionsOf(job.id)).toEqual([
      [2, 'isee'],
      [3, 'isee'],
      [4, 'isee'],
      [5, 'data_validita'],
      [6, 'tipo_isee'],
      [7, 'isee'],
    ]);
    expect(await suite.count('income_declaration')).toBe(before);
    // Rosa's valid row was not applied either: her ISEE is still 8.000,00.
    const rosa = await suite.orm.em.fork().findOneOrFail(IncomeDeclaration, {
      declarantFiscalCodeHash: suite.services.pii.lookupHash('fiscal-code', CF.rosa),
    });
    expect(rosa.iseeCents).toBe(800000);
  });

  it('fails a file whose header lacks a column, or an empty file', async () => {
    const job = await suite.importText(
      operator,
      COMUNE_A,
      'INCOME',
      csv(['codice_fiscale_dichiarante;isee;tipo_isee', `${CF.mario};1,00;ORDINARIO`]),
    );
    expect(job.status).toBe('FAILED');
    // sostegno_pubblico may be left out (NO); data_validita may not.
    expect(await rejectionsOf(job.id)).toEqual([[1, 'data_validita']]);
    const empty = await suite.importText(operator, COMUNE_A, 'REGISTRY', '\ufeff');
    expect(empty.status).toBe('FAILED');
    expect(await rejectionsOf(empty.id)).toEqual([[1, 'file']]);
  });

  it('fails an unreadable CSV (an unclosed quote)', async () => {
    const job = await suite.importText(
      operator,
      COMUNE_A,
      'REGISTRY',
      csv([REGISTRY_HEADER, `H001;${CF.mario};"Rossi;Mario;01/01/1980;M;INTESTATARIO;Via;SI;NO`]),
    );
    expect(job.status).toBe('FAILED');
    expect((await rejectionsOf(job.id)).map(([, field]) => field)).toEqual(['file']);
  });
});

describe('re-importing', () => {
  it('is idempotent: the same file twice leaves the counts unchanged', async () => {
    const counts = async () => [
      await suite.count('household', COMUNE_A),
      await suite.count('household_member', COMUNE_A),
      await suite.count('income_declaration', COMUNE_A),
    ];
    const before = await counts();
    expect(before).toEqual([4, 8, 3]);
    expect((await suite.importText(operator, COMUNE_A, 'REGISTRY', REGISTRY)).status).toBe(
      'SUCCEEDED',
    );
    expect((await suite.importText(operator, COMUNE_A, 'INCOME', INCOME)).status).toBe('SUCCEEDED');
    expect(await counts()).toEqual(before);
  });

  it('applies changed values by natural key', async () => {
    const registry = REGISTRY_LINES.map((l) =>
      l
        .replace('Via Trapani 9;NO', 'Via Palermo 10;SI')
        .replace(
          `${CF.luca};Rossi;Luca;03/03/2015;M;FIGLIO;Via Roma 1;SI;SI`,
          `${CF.luca};Rossi;Luca;03/03/2015;M;FIGLIO;Via Roma 1;SI;NO`,
        ),
    );
    expect((await suite.importText(operator, COMUNE_A, 'REGISTRY', csv(registry))).status).toBe(
      'SUCCEEDED',
    );
    const income = INCOME_LINES.map((l) => l.replace('12.345,67', '9.999,99'));
    expect((await suite.importText(operator, COMUNE_A, 'INCOME', csv(income))).status).toBe(
      'SUCCEEDED',
    );
    const em = suite.orm.em.fork();
    expect(await em.findOneOrFail(Household, { comuneId: COMUNE_A, code: 'F004' })).toMatchObject({
      address: 'Via Palermo 10',
      resident: true,
    });
    const luca = await em.findOneOrFail(HouseholdMember, {
      fiscalCodeHash: suite.services.pii.lookupHash('fiscal-code', CF.luca),
    });
    expect(luca.disability).toBe(false);
    const mario = await em.findOneOrFail(IncomeDeclaration, {
      declarantFiscalCodeHash: suite.services.pii.lookupHash('fiscal-code', CF.mario),
    });
    expect(mario.iseeCents).toBe(999999);
    expect(await suite.count('household', COMUNE_A)).toBe(4);
    expect(await suite.count('household_member', COMUNE_A)).toBe(8);
    expect(await suite.count('income_declaration', COMUNE_A)).toBe(3);
  });

  it('keeps Comuni apart: the same codici fiscali in Comune B are other rows', async () => {
    const job = await suite.importText(operatorB, COMUNE_B, 'REGISTRY', REGISTRY);
    expect(job.status).toBe('SUCCEEDED');
    expect(await suite.count('household', COMUNE_B)).toBe(4);
    expect(await suite.count('household', COMUNE_A)).toBe(4);
  });
});

describe('progress and recovery', () => {
  it('writes rows_read while the job runs, from a stream', async () => {
    const lines = demoCsvFiles()
      .registry.replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    const body = new PassThrough();
    const job = await suite.services.imports.createJob(
      suite.orm.em.fork(),
      operator,
      COMUNE_A,
      'REGISTRY',
    );
    const done = suite.services.imports.run(suite.orm.em.fork(), job.id, body);
    body.write(`\ufeff${lines.slice(0, 601).join('\r\n')}\r\n`);
    let seen: ImportJob | null = null;
    for (let i = 0; i < 100; i++) {
      seen = await suite.orm.em.fork().findOne(ImportJob, { id: job.id });
      if (seen && seen.rowsRead >= 500) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Written after the first row, then every 500 rows (or every second): before the end.
    expect(seen).toMatchObject({ status: 'RUNNING' });
    expect(seen!.rowsRead).toBeGreaterThanOrEqual(500);
    expect(seen!.rowsRead).toBeLessThan(600);
    body.end(`${lines.slice(601).join('\r\n')}\r\n`);
    const finished = await done;
    expect(finished).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: lines.length - 1,
      rowsImported: lines.length - 1,
    });
  });

  it('marks jobs left QUEUED or RUNNING by a crash FAILED, dropping their staged rows', async () => {
    const em = suite.orm.em.fork();
    const queued = await suite.services.imports.createJob(em, operator, COMUNE_A, 'INCOME');
    const running = await suite.services.imports.createJob(em, operator, COMUNE_A, 'REGISTRY');
    running.status = 'RUNNING';
    await em.flush();
    await em
      .getConnection()
      .execute(
        `insert into public_welfare.import_staging_row (job_id, line, payload) values (?, 2, '{}')`,
        [running.id],
      );
    expect(await suite.services.imports.failInterrupted(suite.orm.em.fork())).toBe(2);
    const after = await suite.orm.em
      .fork()
      .find(ImportJob, { id: { $in: [queued.id, running.id] } });
    expect(after.map((j) => j.status)).toEqual(['FAILED', 'FAILED']);
    expect(await rejectionsOf(running.id)).toEqual([[0, 'file']]);
    expect(await suite.count('import_staging_row')).toBe(0);
  });
});

describe('who may import', () => {
  it('is staff of the Comune only', async () => {
    const before = await suite.count('import_job');
    expect(
      (await caught(() => suite.importText(operatorB, COMUNE_A, 'REGISTRY', REGISTRY))).code,
    ).toBe('FORBIDDEN');
    expect(
      (await caught(() => suite.importText({ kind: 'anonymous' }, COMUNE_A, 'REGISTRY', REGISTRY)))
        .code,
    ).toBe('UNAUTHENTICATED');
    expect(await suite.count('import_job')).toBe(before);
  });
});

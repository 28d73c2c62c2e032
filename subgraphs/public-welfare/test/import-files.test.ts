import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HouseholdMember } from '../src/modules/household/household-member.entity.js';
import { Household } from '../src/modules/household/household.entity.js';
import { ImportRejection } from '../src/modules/imports/import-rejection.entity.js';
import type { ImportKind } from '../src/modules/shared/enums.js';
import { CF } from './fixtures.js';
import { errorFields } from '@welfare/kit/test-suite';
import { REGISTRY_HEADER, errorCode, setupSuite, staff, type Suite } from './helpers.js';

/*
 * Files as real exports come: other separators and encodings, a registry product's own header
 * names, header-only files, decomposed Unicode, re-imports that change nothing. Each test works
 * in a Comune of its own, so the same codici fiscali can be used again.
 */

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('import_files');
});
afterAll(() => suite.close());

/** A fresh Comune and its operator. */
function comune() {
  const comuneId = randomUUID();
  return { comuneId, operator: staff(comuneId) };
}

async function importBytes(
  place: ReturnType<typeof comune>,
  bytes: Buffer,
  kind: ImportKind = 'REGISTRY',
  chunks = 1,
) {
  const size = Math.ceil(bytes.length / chunks);
  const pieces = Array.from({ length: chunks }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  return suite.services.imports.importFile(
    suite.orm.em.fork(),
    place.operator,
    place.comuneId,
    kind,
    Readable.from(pieces),
  );
}

const rejectionsOf = async (jobId: string) =>
  (
    await suite.orm.em
      .fork()
      .find(ImportRejection, { job: jobId }, { orderBy: { line: 'asc', field: 'asc' } })
  ).map((r) => [r.line, r.field, r.reasonIt]);

const members = (comuneId: string) =>
  suite.orm.em.fork().find(HouseholdMember, { comuneId }, { orderBy: { givenName: 'asc' } });

/** A small registry file in the platform's own column names, joined by `sep`. */
function registryLines(sep: string, nicolo = 'NICOLÒ'): string[] {
  return [
    REGISTRY_HEADER.replaceAll(';', sep),
    [CF.mario, 'Rossi', 'Mario', '01/01/1980', 'M', 'INTESTATARIO', 'Via Roma 1', 'SI', 'NO'],
    [CF.luca, 'Rossi', nicolo, '03/03/2015', 'M', 'FIGLIO', 'Via Roma 1', 'SI', 'NO'],
  ].map((l) => (typeof l === 'string' ? l : ['Z001', ...l].join(sep)));
}

describe('encodings and separators', () => {
  it('reads a comma-separated UTF-8 file without a BOM', async () => {
    const place = comune();
    const job = await importBytes(place, Buffer.from(registryLines(',').join('\n') + '\n'));
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 2,
      encoding: 'UTF-8',
      separator: ',',
    });
    expect((await members(place.comuneId)).map((m) => m.givenName)).toEqual(['Mario', 'NICOLÒ']);
  });

  it('reads a Windows-1252 file (Excel’s classic CSV): NICOLÒ, not NICOL\\uFFFD', async () => {
    const place = comune();
    // Latin-1 and Windows-1252 agree on Ò (0xD2).
    const bytes = Buffer.from(registryLines(';').join('\r\n') + '\r\n', 'latin1');
    expect(bytes.includes(0xd2)).toBe(true);
    // In small pieces, so the Ò comes after the first line has been decoded.
    const job = await importBytes(place, bytes, 'REGISTRY', 7);
    expect(job).toMatchObject({ status: 'SUCCEEDED', encoding: 'WINDOWS-1252', separator: ';' });
    expect((await members(place.comuneId)).map((m) => m.givenName)).toEqual(['Mario', 'NICOLÒ']);
  });

  it('reads a UTF-16BE file with a BOM and tabs', async () => {
    const place = comune();
    const text = '\ufeff' + registryLines('\t').join('\r\n') + '\r\n';
    const bytes = Buffer.from(text, 'utf16le').swap16();
    const job = await importBytes(place, bytes, 'REGISTRY', 5);
    expect(job).toMatchObject({ status: 'SUCCEEDED', encoding: 'UTF-16BE', separator: '\t' });
    expect((await members(place.comuneId)).map((m) => m.givenName)).toEqual(['Mario', 'NICOLÒ']);
  });

  it('reads a UTF-16LE file with a BOM', async () => {
    const place = comune();
    const bytes = Buffer.from('\ufeff' + registryLines(';').join('\r\n'), 'utf16le');
    const job = await importBytes(place, bytes, 'REGISTRY', 3);
    expect(job).toMatchObject({ status: 'SUCCEEDED', encoding: 'UTF-16LE', rowsImported: 2 });
  });

  it('fails a file that starts as UTF-8 and then is not, writing nothing', async () => {
    const place = comune();
    const utf8 = Buffer.from(registryLines(';', 'NICOLÒ').join('\r\n') + '\r\n');
    const broken = Buffer.from(
      `Z002;${CF.rosa};Verdi;ROS\xC0;02/02/1950;F;INTESTATARIO;Via Mazzini 2;SI;NO\r\n`,
      'latin1',
    );
    const job = await importBytes(place, Buffer.concat([utf8, broken]), 'REGISTRY', 4);
    expect(job.status).toBe('FAILED');
    const [rejection] = await rejectionsOf(job.id);
    expect(rejection).toEqual([0, 'file', expect.stringContaining('Codifica dei caratteri')]);
    expect(await members(place.comuneId)).toEqual([]);
  });
});

describe('names in one spelling', () => {
  it('stores decomposed names composed (NFC): a re-import in either form changes nothing', async () => {
    const place = comune();
    const decomposed = 'NICOLO\u0300';
    const first = await importBytes(place, Buffer.from(registryLines(';', decomposed).join('\n')));
    expect(first).toMatchObject({ status: 'SUCCEEDED', rowsChanged: 2 });
    const [, nicolo] = await members(place.comuneId);
    expect(nicolo!.givenName).toBe('NICOL\u00d2');
    const again = await importBytes(
      place,
      Buffer.from(registryLines(';', 'NICOL\u00d2').join('\n')),
    );
    expect(again).toMatchObject({ status: 'SUCCEEDED', rowsImported: 2, rowsChanged: 0 });
  });
});

describe('what a re-import says', () => {
  it('counts the rows that changed: 0 for the same file', async () => {
    const place = comune();
    const lines = registryLines(';');
    lines.push(`Z002;${CF.rosa};Verdi;Rosa;02/02/1950;F;INTESTATARIO;Via Mazzini 2;SI;NO`);
    const file = (l: string[]) => Buffer.from(l.join('\r\n'));
    expect(await importBytes(place, file(lines))).toMatchObject({ rowsChanged: 3 });
    expect(await importBytes(place, file(lines))).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 3,
      rowsChanged: 0,
    });
    // A household's address changes both its rows; a name changes one.
    const moved = lines.map((l) => l.replace('Via Roma 1', 'Via Roma 3'));
    expect(await importBytes(place, file(moved))).toMatchObject({ rowsChanged: 2 });
    const renamed = moved.map((l) => l.replace(';Rosa;', ';Rosalia;'));
    expect(await importBytes(place, file(renamed))).toMatchObject({ rowsChanged: 1 });
  });
});

describe('a header-only file', () => {
  it('is not a success: "Nessuna riga da importare", nothing written', async () => {
    const place = comune();
    const job = await importBytes(place, Buffer.from(`\ufeff${REGISTRY_HEADER}\r\n`));
    expect(job).toMatchObject({ status: 'FAILED', rowsRead: 0, rowsImported: 0 });
    expect(await rejectionsOf(job.id)).toEqual([
      [1, 'file', expect.stringContaining('Nessuna riga da importare')],
    ]);
    expect(await members(place.comuneId)).toEqual([]);
  });
});

describe('a registry product’s own header names', () => {
  it('recognises them, and a missing residente means resident', async () => {
    const place = comune();
    const file = [
      'ID_FAMIGLIA;CODICE_FISCALE;COGNOME;NOME;DATA_DI_NASCITA;SESSO;RAPPORTO_PARENTELA;INDIRIZZO;NOTE',
      `Z001;${CF.mario};ROSSI;MARIO;01/01/1980;M;INTESTATARIO;VIA ROMA 1;`,
      `Z001;${CF.anna};BIANCHI;ANNA;15/06/1982;F;CONIUGE;VIA ROMA 1;una nota`,
    ].join('\r\n');
    const job = await importBytes(place, Buffer.from(file));
    expect(job).toMatchObject({ status: 'SUCCEEDED', rowsImported: 2 });
    const household = await suite.orm.em
      .fork()
      .findOneOrFail(Household, { comuneId: place.comuneId, code: 'Z001' });
    expect(household).toMatchObject({ resident: true, address: 'VIA ROMA 1' });
    expect((await members(place.comuneId)).map((m) => [m.givenName, m.disability])).toEqual([
      ['ANNA', false],
      ['MARIO', false],
    ]);
  });

  it('still refuses a file without a required column, naming it', async () => {
    const place = comune();
    const file = [
      'COD_FAM;CF;COGNOME;NOME;SESSO;RELAZIONE_PARENTELA;INDIRIZZO',
      `Z001;${CF.mario};ROSSI;MARIO;M;INTESTATARIO;VIA ROMA 1`,
    ].join('\n');
    const job = await importBytes(place, Buffer.from(file));
    expect(job.status).toBe('FAILED');
    expect((await rejectionsOf(job.id)).map(([line, field]) => [line, field])).toEqual([
      [1, 'data_nascita'],
    ]);
    expect(await members(place.comuneId)).toEqual([]);
  });
});

describe('what the import page shows', () => {
  it('lists the columns with format, default and recognised names', async () => {
    const result = await suite.run<{
      importColumns: {
        name: string;
        required: boolean;
        defaultValue: string | null;
        aliases: string[];
      }[];
    }>(
      `query { importColumns(kind: REGISTRY) { name required defaultValue formatIt formatEn example aliases } }`,
    );
    expect(result.errors).toBeUndefined();
    const columns = result.data!.importColumns;
    expect(columns.map((c) => c.name)).toEqual(REGISTRY_HEADER.split(';'));
    expect(columns.find((c) => c.name === 'residente')).toMatchObject({
      required: false,
      defaultValue: 'SI',
    });
    const family = columns.find((c) => c.name === 'codice_famiglia');
    expect(family).toMatchObject({ required: true, defaultValue: null });
    expect(family!.aliases).toEqual(expect.arrayContaining(['ID_FAMIGLIA', 'COD_FAM']));
  });

  it('gives the job’s detected format and changed rows to its Comune’s staff only', async () => {
    const place = comune();
    const job = await importBytes(place, Buffer.from(registryLines(';').join('\r\n'), 'latin1'));
    const query = `query($id: ID!) { importJob(id: $id) { rowsChanged encoding separator } }`;
    const own = await suite.run(query, { id: job.id }, place.operator);
    expect(own.data).toEqual({
      importJob: { rowsChanged: 2, encoding: 'WINDOWS-1252', separator: ';' },
    });
    const other = await suite.run(query, { id: job.id }, comune().operator);
    expect(errorCode(other)).toBe('FORBIDDEN');
    expect(other.data?.importJob ?? null).toBeNull();
  });
});

describe('a Comune’s own header mapping', () => {
  const SAVE = `mutation($input: SaveImportHeaderMappingInput!) {
    saveImportHeaderMapping(input: $input) { header column } }`;
  const READ = `query($comuneId: ID!) { importHeaderMapping(comuneId: $comuneId, kind: REGISTRY) { header column } }`;
  const exportFile = (code: string) =>
    Buffer.from(
      [
        'NUM_FAM_ANAG;CODICE_FISCALE;COGNOME;NOME;NASC_DT;SESSO;REL_INT;INDIRIZZO',
        `${code};${CF.mario};ROSSI;MARIO;01/01/1980;M;INTESTATARIO;VIA ROMA 1`,
      ].join('\r\n'),
    );

  it('is saved by the operator and used by every later import of the Comune only', async () => {
    const place = comune();
    const before = await importBytes(place, exportFile('Z001'));
    expect(before.status).toBe('FAILED');
    const [first] = await rejectionsOf(before.id);
    expect(first![2]).toContain('intestazioni non riconosciute: NUM_FAM_ANAG, NASC_DT, REL_INT');

    const entries = [
      { header: 'num fam anag', column: 'codice_famiglia' },
      { header: 'NASC_DT', column: 'data_nascita' },
      { header: 'Rel. int.', column: 'relazione' },
    ];
    const saved = await suite.run(
      SAVE,
      { input: { comuneId: place.comuneId, kind: 'REGISTRY', entries } },
      place.operator,
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data).toEqual({
      saveImportHeaderMapping: [
        { header: 'NASC_DT', column: 'data_nascita' },
        { header: 'NUM_FAM_ANAG', column: 'codice_famiglia' },
        { header: 'REL_INT', column: 'relazione' },
      ],
    });
    const after = await importBytes(place, exportFile('Z001'));
    expect(after).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
    expect((await members(place.comuneId))[0]).toMatchObject({
      givenName: 'MARIO',
      birthDate: '1980-01-01',
      relation: 'INTESTATARIO',
    });

    // Another Comune neither reads it, nor changes it, nor imports with it.
    const other = comune();
    const read = await suite.run(READ, { comuneId: place.comuneId }, other.operator);
    expect(errorCode(read)).toBe('FORBIDDEN');
    expect(read.data?.importHeaderMapping ?? null).toBeNull();
    const overwrite = await suite.run(
      SAVE,
      { input: { comuneId: place.comuneId, kind: 'REGISTRY', entries: [] } },
      other.operator,
    );
    expect(errorCode(overwrite)).toBe('FORBIDDEN');
    expect((await importBytes(other, exportFile('Z002'))).status).toBe('FAILED');
    const own = await suite.run(READ, { comuneId: place.comuneId }, place.operator);
    expect((own.data as { importHeaderMapping: unknown[] }).importHeaderMapping).toHaveLength(3);
  });

  it('refuses bad entries field by field, writing nothing', async () => {
    const place = comune();
    const result = await suite.run(
      SAVE,
      {
        input: {
          comuneId: place.comuneId,
          kind: 'REGISTRY',
          entries: [
            { header: 'A', column: 'codice_famiglia' },
            { header: 'a', column: 'nome' },
            { header: ' ', column: 'cognome' },
            { header: 'B', column: 'isee' },
          ],
        },
      },
      place.operator,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(errorFields(result)).toEqual([
      'entries.1.header',
      'entries.2.header',
      'entries.3.column',
    ]);
    const read = await suite.run(READ, { comuneId: place.comuneId }, place.operator);
    expect(read.data).toEqual({ importHeaderMapping: [] });
  });
});

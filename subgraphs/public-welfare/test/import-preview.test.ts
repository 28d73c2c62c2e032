import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFields } from '@welfare/kit/test-suite';
import { PREVIEW_MAX_BYTES } from '../src/modules/imports/import-preview.js';
import { CF } from './fixtures.js';
import {
  ANONYMOUS,
  CITIZEN,
  REGISTRY_HEADER,
  errorCode,
  setupSuite,
  staff,
  type Suite,
} from './helpers.js';

/*
 * The preview of an import from the first bytes of its file: what the operator sees before
 * "Importa" (encoding, separator, each header's column, the first rows as stored). Nothing is
 * written.
 */

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('import_preview');
});
afterAll(() => suite.close());

const PREVIEW = `query($comuneId: ID!, $kind: ImportKind!, $head: String!) {
  importPreview(comuneId: $comuneId, kind: $kind, head: $head) {
    encoding separator headers { header column } columns missingColumns
    rows { line cells } problemIt problemEn } }`;

interface Preview {
  encoding: string;
  separator: string;
  headers: { header: string; column: string | null }[];
  columns: string[];
  missingColumns: string[];
  rows: { line: number; cells: string[] }[];
  problemIt: string | null;
}

function comune() {
  const comuneId = randomUUID();
  return { comuneId, operator: staff(comuneId) };
}

async function preview(place: ReturnType<typeof comune>, head: Buffer) {
  const result = await suite.run(
    PREVIEW,
    { comuneId: place.comuneId, kind: 'REGISTRY', head: head.toString('base64') },
    place.operator,
  );
  expect(result.errors).toBeUndefined();
  return (result.data as { importPreview: Preview }).importPreview;
}

/** A registry file in the platform's column names, joined by `sep`, with `extra` more rows. */
function registryLines(sep: string, extra = 0): string[] {
  const rows = [
    [CF.mario, 'Rossi', 'Mario', '01/01/1980', 'M', 'INTESTATARIO', 'Via Roma 1', 'SI', 'NO'],
    [CF.luca, 'Rossi', 'NICOLÒ', '03/03/2015', 'M', 'FIGLIO', 'Via Roma 1', 'SI', 'NO'],
    ...Array.from({ length: extra }, (_, i) => [
      CF.rosa,
      'Verdi',
      `Rosa ${i}`,
      '02/02/1950',
      'F',
      'INTESTATARIO',
      `Via Mazzini ${i}`,
      'SI',
      'NO',
    ]),
  ];
  return [REGISTRY_HEADER.replaceAll(';', sep), ...rows.map((r) => ['Z001', ...r].join(sep))];
}

describe('importPreview', () => {
  it('shows a Windows-1252 file’s names right: NICOLÒ, not NICOL\\uFFFD', async () => {
    const place = comune();
    const bytes = Buffer.from(registryLines(';').join('\r\n') + '\r\n', 'latin1');
    expect(bytes.includes(0xd2)).toBe(true);
    const shown = await preview(place, bytes);
    expect(shown).toMatchObject({ encoding: 'WINDOWS-1252', separator: ';', problemIt: null });
    expect(shown.missingColumns).toEqual([]);
    expect(shown.rows.map((r) => [r.line, r.cells[shown.columns.indexOf('nome')]])).toEqual([
      [2, 'Mario'],
      [3, 'NICOLÒ'],
    ]);
  });

  it('shows a comma-separated file’s `,` and stores names composed (NFC)', async () => {
    const place = comune();
    const decomposed = registryLines(',').join('\n').replace('NICOLÒ', 'NICOLO\u0300');
    const shown = await preview(place, Buffer.from(decomposed + '\n'));
    expect(shown).toMatchObject({ encoding: 'UTF-8', separator: ',' });
    expect(shown.rows[1]!.cells[shown.columns.indexOf('nome')]).toBe('NICOLÒ');
  });

  it('reads only whole lines of a 64 KiB head and shows the first 5 rows', async () => {
    const place = comune();
    const big = Buffer.from(registryLines(';', 2000).join('\r\n') + '\r\n');
    expect(big.length).toBeGreaterThan(PREVIEW_MAX_BYTES);
    const shown = await preview(place, big.subarray(0, PREVIEW_MAX_BYTES));
    expect(shown.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(shown.problemIt).toBeNull();
  });

  it('names the headers not recognised, the defaults and the missing columns', async () => {
    const place = comune();
    const file = [
      'ID_FAMIGLIA;CODICE_FISCALE;COGNOME;NOME;DATA_NASCITA;SESSO;REL_INT;INDIRIZZO',
      `F1;${CF.mario};ROSSI;MARIO;01/01/1980;M;INTESTATARIO;VIA ROMA 1`,
    ].join('\r\n');
    const shown = await preview(place, Buffer.from(file));
    expect(shown.headers).toContainEqual({ header: 'ID_FAMIGLIA', column: 'codice_famiglia' });
    expect(shown.headers).toContainEqual({ header: 'REL_INT', column: null });
    expect(shown.missingColumns).toEqual(['relazione']);
    expect(shown.columns).toContain('residente');
    expect(shown.rows[0]!.cells[shown.columns.indexOf('residente')]).toBe('SI');

    // The Comune's own mapping is used; the preview writes no job.
    const saved = await suite.run(
      `mutation($input: SaveImportHeaderMappingInput!) { saveImportHeaderMapping(input: $input) { header } }`,
      {
        input: {
          comuneId: place.comuneId,
          kind: 'REGISTRY',
          entries: [{ header: 'REL_INT', column: 'relazione' }],
        },
      },
      place.operator,
    );
    expect(saved.errors).toBeUndefined();
    const mapped = await preview(place, Buffer.from(file));
    expect(mapped.missingColumns).toEqual([]);
    expect(mapped.rows[0]!.cells[mapped.columns.indexOf('relazione')]).toBe('INTESTATARIO');
    expect(await suite.count('import_job', place.comuneId)).toBe(0);
  });

  it('tells a file that is not CSV, and refuses a head that is not base64 or too long', async () => {
    const place = comune();
    const shown = await preview(place, Buffer.from('a;b\r\n"x"y;z\r\n'));
    expect(shown.problemIt).toContain('File CSV non leggibile');
    for (const head of ['***', '', Buffer.alloc(PREVIEW_MAX_BYTES + 1).toString('base64')]) {
      const result = await suite.run(
        PREVIEW,
        { comuneId: place.comuneId, kind: 'REGISTRY', head },
        place.operator,
      );
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(['head']);
    }
  });

  it('is for staff of the Comune only', async () => {
    const place = comune();
    const head = Buffer.from(registryLines(';').join('\r\n')).toString('base64');
    const vars = { comuneId: place.comuneId, kind: 'REGISTRY', head };
    const other = await suite.run(PREVIEW, vars, comune().operator);
    expect(errorCode(other)).toBe('FORBIDDEN');
    expect(other.data?.importPreview ?? null).toBeNull();
    expect(errorCode(await suite.run(PREVIEW, vars, CITIZEN))).toBe('FORBIDDEN');
    expect(errorCode(await suite.run(PREVIEW, vars, ANONYMOUS))).toBe('UNAUTHENTICATED');
  });
});

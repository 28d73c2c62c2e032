import type { ImportKind } from '../shared/enums.js';
import { INCOME_COLUMNS, REGISTRY_COLUMNS } from './csv-columns.js';

/**
 * The header names a file may use for each column, besides the column's own name. Registry
 * software of Italian Comuni exports the resident population ("APR", DPR 223/1989) with
 * upper-case names of its own: these are the ones seen in such exports and in the ISTAT/ANPR
 * field names (`ID_FAMIGLIA`, `CODICE_FISCALE`, `DATA_NASCITA`, `RAPPORTO_PARENTELA`, …). A
 * header is compared in its `headerKey` form: upper case, accents removed, anything but letters
 * and digits turned into `_` ("Data di nascita" → `DATA_DI_NASCITA`).
 */
export const HEADER_ALIASES: Record<ImportKind, Record<string, readonly string[]>> = {
  REGISTRY: {
    // The family ("famiglia anagrafica") code: its own name differs in every product.
    codice_famiglia: [
      'ID_FAMIGLIA',
      'CODICE_FAMIGLIA',
      'COD_FAM',
      'COD_FAMIGLIA',
      'CODFAM',
      'NUMERO_FAMIGLIA',
      'N_FAMIGLIA',
      'NUM_FAMIGLIA',
    ],
    codice_fiscale: ['CODICE_FISCALE', 'CF', 'COD_FISCALE', 'C_F', 'CODFISC'],
    cognome: ['COGNOME'],
    nome: ['NOME'],
    data_nascita: ['DATA_NASCITA', 'DATA_DI_NASCITA', 'DT_NASCITA', 'DATANASCITA'],
    sesso: ['SESSO', 'GENERE'],
    // The relation to the head of the family (ANPR: "relazione di parentela").
    relazione: [
      'RELAZIONE',
      'RELAZIONE_PARENTELA',
      'RAPPORTO_PARENTELA',
      'PARENTELA',
      'RAPPORTO_INTESTATARIO',
      'RELAZIONE_INTESTATARIO',
    ],
    indirizzo: ['INDIRIZZO', 'INDIRIZZO_RESIDENZA', 'RESIDENZA_INDIRIZZO'],
    residente: ['RESIDENTE'],
    disabilita: ['DISABILITA', 'DISABILE'],
  },
  INCOME: {
    codice_fiscale_dichiarante: [
      'CODICE_FISCALE_DICHIARANTE',
      'CF_DICHIARANTE',
      'CODICE_FISCALE',
      'CF',
    ],
    isee: ['ISEE', 'VALORE_ISEE', 'IMPORTO_ISEE'],
    tipo_isee: ['TIPO_ISEE', 'TIPOLOGIA_ISEE'],
    data_validita: ['DATA_VALIDITA', 'DATA_SCADENZA', 'SCADENZA_ISEE', 'VALIDITA'],
    sostegno_pubblico: ['SOSTEGNO_PUBBLICO', 'PERCETTORE_SOSTEGNO'],
  },
};

/**
 * Columns a file may leave out, and the value every row then gets (the text a cell would hold).
 * A registry export lists the resident population, so a missing `residente` means resident; a
 * missing `disabilita` or `sostegno_pubblico` means NO, as an empty cell already does.
 */
export const COLUMN_DEFAULTS: Record<ImportKind, Record<string, string>> = {
  REGISTRY: { residente: 'SI', disabilita: 'NO' },
  INCOME: { sostegno_pubblico: 'NO' },
};

/** Every column of a kind of file, in the documented order. */
export const COLUMNS: Record<ImportKind, readonly string[]> = {
  REGISTRY: REGISTRY_COLUMNS,
  INCOME: INCOME_COLUMNS,
};

/** A header in the form aliases are written in. */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The column each header names (by the Comune's `mapping` of header keys, its own name or an
 * alias), or undefined when unrecognised. A column named twice keeps its first header.
 */
export function recogniseHeaders(
  kind: ImportKind,
  headers: string[],
  mapping: ReadonlyMap<string, string> = new Map(),
): (string | undefined)[] {
  // The Comune's own mapping first (by header key), then the column names, then the aliases.
  const byKey = new Map<string, string>(mapping);
  for (const column of COLUMNS[kind])
    if (!byKey.has(headerKey(column))) byKey.set(headerKey(column), column);
  for (const column of COLUMNS[kind]) byKey.set(headerKey(column), column);
  for (const [column, aliases] of Object.entries(HEADER_ALIASES[kind])) {
    for (const alias of aliases) if (!byKey.has(alias)) byKey.set(alias, column);
  }
  const taken = new Set<string>();
  return headers.map((h) => {
    const column = byKey.get(headerKey(h));
    if (column === undefined || taken.has(column)) return undefined;
    taken.add(column);
    return column;
  });
}

import { ISEE_TYPES, RELATIONS, SEXES, type ImportKind } from '../shared/enums.js';
import { COLUMNS, COLUMN_DEFAULTS, HEADER_ALIASES } from './header-names.js';

/** What the import page tells the operator about one column of a file. */
export interface ImportColumnDoc {
  name: string;
  required: boolean;
  /** The value every row gets when the file has no such column (required: none). */
  defaultValue: string | null;
  formatIt: string;
  formatEn: string;
  /** A value as the template's example row shows it. */
  example: string;
  /** Other header names recognised for the column. */
  aliases: readonly string[];
}

const YES_NO = { it: 'SI o NO', en: 'SI or NO (yes or no)' };

const FORMATS: Record<string, { it: string; en: string; example: string }> = {
  codice_famiglia: {
    it: 'Codice della famiglia anagrafica (fino a 50 caratteri)',
    en: 'Code of the registry household (up to 50 characters)',
    example: 'F0001',
  },
  codice_fiscale: {
    it: 'Codice fiscale di 16 caratteri (anche omocodico)',
    en: '16-character codice fiscale (omocodic ones too)',
    example: 'RSSMRA80A01A592B',
  },
  cognome: {
    it: 'Testo (fino a 100 caratteri)',
    en: 'Text (up to 100 characters)',
    example: 'Rossi',
  },
  nome: { it: 'Testo (fino a 100 caratteri)', en: 'Text (up to 100 characters)', example: 'Mario' },
  data_nascita: { it: 'Data gg/mm/aaaa', en: 'Date dd/mm/yyyy', example: '01/01/1980' },
  sesso: { it: SEXES.join(' o '), en: SEXES.join(' or '), example: 'M' },
  relazione: {
    it: `Relazione con l’intestatario: ${RELATIONS.join(', ')}`,
    en: `Relation to the head of the household: ${RELATIONS.join(', ')}`,
    example: 'INTESTATARIO',
  },
  indirizzo: {
    it: 'Indirizzo (fino a 200 caratteri), lo stesso per tutta la famiglia',
    en: 'Address (up to 200 characters), the same for the whole household',
    example: 'Via Roma 1',
  },
  residente: { ...YES_NO, example: 'SI' },
  disabilita: { ...YES_NO, example: 'NO' },
  codice_fiscale_dichiarante: {
    it: 'Codice fiscale del dichiarante ISEE',
    en: 'Codice fiscale of the ISEE declarant',
    example: 'RSSMRA80A01A592B',
  },
  isee: {
    it: 'Importo in euro con la virgola decimale (es. 12.345,67)',
    en: 'Amount in euro with a decimal comma (e.g. 12.345,67)',
    example: '12.345,67',
  },
  tipo_isee: { it: ISEE_TYPES.join(', '), en: ISEE_TYPES.join(', '), example: 'ORDINARIO' },
  data_validita: {
    it: 'Data di fine validità gg/mm/aaaa',
    en: 'Last day of validity dd/mm/yyyy',
    example: '31/12/2026',
  },
  sostegno_pubblico: { ...YES_NO, example: 'NO' },
};

/** The columns of a kind of file, in the documented order, with format, default and aliases. */
export function importColumns(kind: ImportKind): ImportColumnDoc[] {
  return COLUMNS[kind].map((name) => {
    const format = FORMATS[name]!;
    const defaultValue = COLUMN_DEFAULTS[kind][name] ?? null;
    return {
      name,
      required: defaultValue === null,
      defaultValue,
      formatIt: format.it,
      formatEn: format.en,
      example: format.example,
      aliases: (HEADER_ALIASES[kind][name] ?? []).filter((a) => a !== name.toUpperCase()),
    };
  });
}

import type { Localized } from '@welfare/kit';
import { isValidPersonalFiscalCode, normaliseFiscalCode, type PiiCipher } from '@welfare/kit/pii';
import {
  parseChoice,
  parseEuroCents,
  parseItalianDate,
  parseText,
  parseYesNo,
  type Parsed,
} from '../../lib/italian-csv.js';
import { ISEE_TYPES, RELATIONS, SEXES } from '../shared/enums.js';

/** Columns of the registry file, in the documented order (the header names them). */
export const REGISTRY_COLUMNS = [
  'codice_famiglia',
  'codice_fiscale',
  'cognome',
  'nome',
  'data_nascita',
  'sesso',
  'relazione',
  'indirizzo',
  'residente',
  'disabilita',
] as const;

/** Columns of the income file. */
export const INCOME_COLUMNS = [
  'codice_fiscale_dichiarante',
  'isee',
  'tipo_isee',
  'data_validita',
  'sostegno_pubblico',
] as const;

/** The hash purpose of codici fiscali: members and declarants share it, so they join. */
export const FISCAL_CODE_PURPOSE = 'fiscal-code';

export interface FieldProblem {
  field: string;
  reason: Localized;
}

/** A row as the staging table keeps it (never a codice fiscale in clear). */
export type StagedPayload = Record<string, string | number | boolean>;

/** Checks one row of a file; collects a problem per bad field. `cells` maps column → raw text. */
export type RowChecker = (
  cells: Record<string, string>,
  problems: FieldProblem[],
  line: number,
) => StagedPayload | undefined;

function take<T>(problems: FieldProblem[], field: string, parsed: Parsed<T>): T | undefined {
  if (parsed.ok) return parsed.value;
  problems.push({ field, reason: parsed.reason });
  return undefined;
}

function fiscalCode(text: string): Parsed<string> {
  const value = normaliseFiscalCode(text);
  if (value === '')
    return { ok: false, reason: { it: 'Campo obbligatorio.', en: 'Required field.' } };
  return isValidPersonalFiscalCode(value)
    ? { ok: true, value }
    : {
        ok: false,
        reason: {
          it: 'Codice fiscale non valido (forma o carattere di controllo).',
          en: 'Invalid codice fiscale (shape or check character).',
        },
      };
}

const duplicate = (line: number): Localized => ({
  it: `Codice fiscale già presente alla riga ${line} del file.`,
  en: `Codice fiscale already on line ${line} of the file.`,
});

/** What a file said of a household at its first row (and the line of its INTESTATARIO). */
interface HouseholdSeen {
  address: string;
  resident: boolean;
  line: number;
  head?: number;
}

/**
 * Every row of a household has the address and residence of its first row, and a household has
 * one INTESTATARIO: the row's problems added to `problems`, the household remembered in `seen`.
 */
function sameHousehold(
  seen: Map<string, HouseholdSeen>,
  row: { code: string; address: string; resident: boolean; relation: string | undefined },
  line: number,
  problems: FieldProblem[],
): void {
  const { code, address, resident, relation } = row;
  const known = seen.get(code);
  if (!known) {
    seen.set(code, {
      address,
      resident,
      line,
      head: relation === 'INTESTATARIO' ? line : undefined,
    });
  } else {
    if (known.address !== address) {
      problems.push({
        field: 'indirizzo',
        reason: {
          it: `Indirizzo diverso da quello della stessa famiglia alla riga ${known.line}.`,
          en: `Address differs from the same household on line ${known.line}.`,
        },
      });
    }
    if (known.resident !== resident) {
      problems.push({
        field: 'residente',
        reason: {
          it: `Residenza diversa da quella della stessa famiglia alla riga ${known.line}.`,
          en: `Residence differs from the same household on line ${known.line}.`,
        },
      });
    }
    if (relation === 'INTESTATARIO') {
      if (known.head !== undefined) {
        problems.push({
          field: 'relazione',
          reason: {
            it: `La famiglia ha già un intestatario alla riga ${known.head}.`,
            en: `The household already has a head on line ${known.head}.`,
          },
        });
      } else {
        known.head = line;
      }
    }
  }
}

/**
 * The registry checker for one file: besides each field, a codice fiscale appears once, every
 * row of a household has the same address and residence, and a household has one INTESTATARIO.
 */
export function registryChecker(pii: PiiCipher, today = new Date()): RowChecker {
  const seen = new Map<string, number>();
  const households = new Map<string, HouseholdSeen>();
  const todayIso = today.toISOString().slice(0, 10);
  return (cells, problems, line) => {
    const code = take(problems, 'codice_famiglia', parseText(cells.codice_famiglia ?? '', 50));
    const cf = take(problems, 'codice_fiscale', fiscalCode(cells.codice_fiscale ?? ''));
    const familyName = take(problems, 'cognome', parseText(cells.cognome ?? '', 100));
    const givenName = take(problems, 'nome', parseText(cells.nome ?? '', 100));
    let birthDate = take(problems, 'data_nascita', parseItalianDate(cells.data_nascita ?? ''));
    if (birthDate !== undefined && birthDate > todayIso) {
      problems.push({
        field: 'data_nascita',
        reason: { it: 'Data di nascita nel futuro.', en: 'Birth date in the future.' },
      });
      birthDate = undefined;
    }
    const sex = take(problems, 'sesso', parseChoice(cells.sesso ?? '', SEXES));
    const relation = take(problems, 'relazione', parseChoice(cells.relazione ?? '', RELATIONS));
    const address = take(problems, 'indirizzo', parseText(cells.indirizzo ?? '', 200));
    const resident = take(problems, 'residente', parseYesNo(cells.residente ?? ''));
    const disability = take(problems, 'disabilita', parseYesNo(cells.disabilita ?? '', false));

    let hash: string | undefined;
    if (cf !== undefined) {
      hash = pii.lookupHash(FISCAL_CODE_PURPOSE, cf);
      const first = seen.get(hash);
      if (first !== undefined) {
        problems.push({ field: 'codice_fiscale', reason: duplicate(first) });
      } else {
        seen.set(hash, line);
      }
    }
    if (code !== undefined && address !== undefined && resident !== undefined)
      sameHousehold(households, { code, address, resident, relation }, line, problems);
    if (problems.length > 0) return undefined;
    return {
      householdCode: code!,
      address: address!,
      resident: resident!,
      fiscalCodeHash: hash!,
      fiscalCodeCipher: pii.encrypt(cf!),
      familyName: familyName!,
      givenName: givenName!,
      birthDate: birthDate!,
      sex: sex!,
      relation: relation!,
      disability: disability!,
    };
  };
}

/** The income checker for one file: each declarant appears once. */
export function incomeChecker(pii: PiiCipher): RowChecker {
  const seen = new Map<string, number>();
  return (cells, problems, line) => {
    const cf = take(
      problems,
      'codice_fiscale_dichiarante',
      fiscalCode(cells.codice_fiscale_dichiarante ?? ''),
    );
    const cents = take(problems, 'isee', parseEuroCents(cells.isee ?? ''));
    const type = take(problems, 'tipo_isee', parseChoice(cells.tipo_isee ?? '', ISEE_TYPES));
    const validUntil = take(
      problems,
      'data_validita',
      parseItalianDate(cells.data_validita ?? '', 2000, 2100),
    );
    const support = take(
      problems,
      'sostegno_pubblico',
      parseYesNo(cells.sostegno_pubblico ?? '', false),
    );
    let hash: string | undefined;
    if (cf !== undefined) {
      hash = pii.lookupHash(FISCAL_CODE_PURPOSE, cf);
      const first = seen.get(hash);
      if (first !== undefined) {
        problems.push({ field: 'codice_fiscale_dichiarante', reason: duplicate(first) });
      } else {
        seen.set(hash, line);
      }
    }
    if (problems.length > 0) return undefined;
    return {
      fiscalCodeHash: hash!,
      fiscalCodeCipher: pii.encrypt(cf!),
      iseeCents: cents!,
      iseeType: type!,
      validUntil: validUntil!,
      receivesPublicSupport: support!,
    };
  };
}

import { DOMParser } from '@xmldom/xmldom';
import type { Localized } from '@welfare/kit/errors';

/*
 * The Flusso di Rendicontazione (FdR) a PSP sends through the pagoPA node and the Comune
 * downloads: XML of `FlussoRiversamento` in namespace http://www.digitpa.gov.it/schemas/2011/Pagamenti/,
 * schema FlussoRiversamento_1_0_4.xsd (github.com/pagopa/pagopa-api, general/), described in
 * SACI 3.x "Flusso di Rendicontazione", Tabella 6 (https://docs.pagopa.it/saci).
 *
 * Parsed with @xmldom/xmldom (a DOM parser that resolves no external entity, so no XXE).
 * - The header is checked as the XSD says (versioneOggetto 1.0/1.1, identificativoFlusso
 *   [a-zA-Z0-9-_]{1,35}, dates, the receiving creditor, numeroTotalePagamenti = the number of
 *   datiSingoliPagamenti, importoTotalePagamenti = the sum of singoloImportoPagato when every line's
 *   amount reads): any defect there refuses the whole file.
 * - Each datiSingoliPagamenti is checked on its own; a line that breaks the XSD (missing IUV or
 *   IUR, an amount not `\d+\.\d{2}`, an esito other than 0/3/9, a bad date) is a bad line in the
 *   report, and the others are applied.
 */

export const FLOW_NAMESPACE = 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/';

/** The largest file accepted: under the subgraphs' 1 MB request body (about 2,000 payments). */
export const MAX_FLOW_CHARS = 900_000;

/** One payment line (datiSingoliPagamenti). */
export interface FlowLine {
  /** 1-based position in the file. */
  index: number;
  /** identificativoUnivocoVersamento (the IUV), as written. */
  iuv: string;
  /** identificativoUnivocoRiscossione (the IUR: the PSP's reference of the payment). */
  iur: string;
  /** singoloImportoPagato in cents (negative for a revoked payment). */
  amountCents: number | null;
  /** codiceEsitoSingoloPagamento: 0 paid, 3 revoked, 9 paid without a receipt. */
  outcome: string;
  /** dataEsitoSingoloPagamento (YYYY-MM-DD). */
  date: string;
  /** What is wrong with the line, when it breaks the schema. */
  problem?: Localized;
}

export interface ParsedFlow {
  flowId: string;
  flowDateTime: string;
  settlementReference: string;
  settlementDate: string;
  /** The sending PSP: its code and, when given, its name. */
  pspCode: string;
  pspName: string | null;
  /** The receiving creditor's codice fiscale. */
  creditorFiscalCode: string;
  totalCount: number;
  totalCents: number;
  lines: FlowLine[];
}

export type FlowParse = { ok: true; flow: ParsedFlow } | { ok: false; problems: Localized[] };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const FLOW_ID = /^[a-zA-Z0-9_-]{1,35}$/;
const AMOUNT = /^(-?)(\d{1,16})\.(\d{2})$/;

function realDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** An amount `123.45` (or `-123.45`) in cents, without floating point; null when malformed or huge. */
export function amountToCents(text: string): number | null {
  const match = AMOUNT.exec(text);
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number(match[3]);
  // Beyond a 32-bit integer of cents (21 million euro) no notice can match: a bad line.
  if (cents > 2_147_483_647) return null;
  return match[1] === '-' ? -cents : cents;
}

/** The direct children of `parent` named `name` in the flow's namespace. */
function children(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const el = node as Element;
    if (node.nodeType === 1 && el.localName === name && el.namespaceURI === FLOW_NAMESPACE) {
      found.push(el);
    }
  }
  return found;
}

/** The trimmed text of the one child `name`, or undefined when absent or repeated. */
function text(parent: Element | undefined, name: string): string | undefined {
  if (!parent) return undefined;
  const found = children(parent, name);
  if (found.length !== 1) return undefined;
  return (found[0]!.textContent ?? '').trim();
}

const problem = (it: string, en: string): Localized => ({ it, en });

/** Reads a Flusso di Rendicontazione. Never throws on bad input: answers its problems. */
export function parseFlow(xml: string): FlowParse {
  if (xml.length === 0 || xml.length > MAX_FLOW_CHARS) {
    return {
      ok: false,
      problems: [problem('File vuoto o troppo grande.', 'The file is empty or too large.')],
    };
  }
  const errors: string[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      errorHandler: {
        warning: () => undefined,
        error: (msg: unknown) => errors.push(String(msg)),
        fatalError: (msg: unknown) => errors.push(String(msg)),
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    errors.push(String(err));
  }
  const root = doc?.documentElement;
  if (errors.length > 0 || !root) {
    return {
      ok: false,
      problems: [problem('Il file non è un XML valido.', 'The file is not well-formed XML.')],
    };
  }
  if (root.localName !== 'FlussoRiversamento' || root.namespaceURI !== FLOW_NAMESPACE) {
    return {
      ok: false,
      problems: [
        problem(
          'Il file non è un Flusso di Rendicontazione pagoPA (FlussoRiversamento).',
          'The file is not a pagoPA reporting flow (FlussoRiversamento).',
        ),
      ],
    };
  }
  const problems: Localized[] = [];
  const need = (name: string, ok: (value: string) => boolean, parent: Element = root) => {
    const value = text(parent, name);
    if (value === undefined || !ok(value)) {
      problems.push(problem(`Campo ${name} mancante o non valido.`, `Missing or invalid ${name}.`));
      return '';
    }
    return value;
  };
  const text35 = (v: string) => v.length >= 1 && v.length <= 35;
  need('versioneOggetto', (v) => v === '1.0' || v === '1.1');
  const flowId = need('identificativoFlusso', (v) => FLOW_ID.test(v));
  const flowDateTime = need('dataOraFlusso', (v) => ISO_DATE_TIME.test(v));
  const settlementReference = need('identificativoUnivocoRegolamento', text35);
  const settlementDate = need('dataRegolamento', realDate);
  const sender = children(root, 'istitutoMittente')[0];
  const senderId = sender ? children(sender, 'identificativoUnivocoMittente')[0] : undefined;
  const pspCode = senderId ? need('codiceIdentificativoUnivoco', text35, senderId) : '';
  if (!senderId) problems.push(problem('Manca istitutoMittente.', 'istitutoMittente is missing.'));
  const pspName = sender ? (text(sender, 'denominazioneMittente') ?? null) : null;
  const receiver = children(root, 'istitutoRicevente')[0];
  const receiverId = receiver ? children(receiver, 'identificativoUnivocoRicevente')[0] : undefined;
  const creditorFiscalCode = receiverId
    ? need('codiceIdentificativoUnivoco', text35, receiverId)
    : '';
  if (!receiverId) {
    problems.push(problem('Manca istitutoRicevente.', 'istitutoRicevente is missing.'));
  }
  const countText = need('numeroTotalePagamenti', (v) => /^[0-9]{1,15}$/.test(v) && Number(v) >= 1);
  const totalText = need('importoTotalePagamenti', (v) => /^\d{1,16}(\.\d{1,2})?$/.test(v));
  const lineElements = children(root, 'datiSingoliPagamenti');
  if (lineElements.length === 0) {
    problems.push(problem('Il flusso non ha pagamenti.', 'The flow has no payments.'));
  }
  const totalCount = Number(countText || '0');
  if (countText && totalCount !== lineElements.length) {
    problems.push(
      problem(
        `numeroTotalePagamenti (${totalCount}) non corrisponde ai pagamenti del file (${lineElements.length}).`,
        `numeroTotalePagamenti (${totalCount}) differs from the payments in the file (${lineElements.length}).`,
      ),
    );
  }
  const [units = '0', decimals = ''] = totalText.split('.');
  const totalCents = Number(units) * 100 + Number(decimals.padEnd(2, '0') || '0');
  const lines = lineElements.map((el, i) => readLine(el, i + 1));
  if (totalText && lines.every((line) => line.amountCents !== null)) {
    const sum = lines.reduce((acc, line) => acc + line.amountCents!, 0);
    if (sum !== totalCents) {
      problems.push(
        problem(
          'importoTotalePagamenti non corrisponde alla somma dei singoli importi.',
          'importoTotalePagamenti differs from the sum of the single amounts.',
        ),
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    flow: {
      flowId,
      flowDateTime,
      settlementReference,
      settlementDate,
      pspCode,
      pspName,
      creditorFiscalCode,
      totalCount,
      totalCents,
      lines,
    },
  };
}

/** One datiSingoliPagamenti, with its problem when it breaks the schema. */
function readLine(el: Element, index: number): FlowLine {
  const iuv = text(el, 'identificativoUnivocoVersamento') ?? '';
  const iur = text(el, 'identificativoUnivocoRiscossione') ?? '';
  const amountText = text(el, 'singoloImportoPagato') ?? '';
  const outcome = text(el, 'codiceEsitoSingoloPagamento') ?? '';
  const date = text(el, 'dataEsitoSingoloPagamento') ?? '';
  const amountCents = amountToCents(amountText);
  const line: FlowLine = { index, iuv, iur, amountCents, outcome, date };
  const bad: string[] = [];
  if (iuv.length < 1 || iuv.length > 35) bad.push('identificativoUnivocoVersamento');
  if (iur.length < 1 || iur.length > 35) bad.push('identificativoUnivocoRiscossione');
  if (amountCents === null || amountCents === 0) bad.push('singoloImportoPagato');
  if (!['0', '3', '9'].includes(outcome)) bad.push('codiceEsitoSingoloPagamento');
  if (!realDate(date)) bad.push('dataEsitoSingoloPagamento');
  if (bad.length > 0) {
    line.problem = {
      it: `Riga ${index}: ${bad.join(', ')} mancante o non valido.`,
      en: `Line ${index}: missing or invalid ${bad.join(', ')}.`,
    };
  }
  return line;
}

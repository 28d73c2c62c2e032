/*
 * pagoPA's codes for a payment notice (avviso di pagamento), from PagoPA S.p.A.'s "Specifiche
 * attuative dei codici identificativi di versamento, riversamento e rendicontazione" (SACI 3.x,
 * https://docs.pagopa.it/saci, "Generazione dell'Identificativo Univoco di Versamento"; source
 * github.com/pagopa/devportal-docs):
 *
 * - Numero Avviso (schema NAV.3, aux digit 3, the scheme for a creditor with more than one IUV
 *   generation point; the others are deprecated or single-point):
 *     3 <codice segregazione (2n)> <IUV base (13n)> <IUV check digit (2n)>   = 18 digits
 * - Codice IUV (schema IUV.3): <codice segregazione (2n)> <IUV base (13n)> <IUV check digit (2n)>
 *   = 17 digits.
 * - IUV check digit: the remainder of the division by 93 of the number formed by concatenating
 *   <aux digit>, <codice segregazione> and <IUV base>, written on two digits.
 *
 * The QR code printed on the notice (pagoPA "Avviso di pagamento" specification, section "QR
 * code"; the same string is decoded by the IO app, github.com/pagopa/io-app and
 * pagopa/io-functions-commons `PaymentNoticeQrCodeFromString`):
 *     PAGOPA|002|<numero avviso (18)>|<codice fiscale dell'ente creditore (11)>|<importo in centesimi>
 */

/** The aux digit of every notice issued here (NAV.3). */
export const AUX_DIGIT = '3';

/** Digits of the IUV base: the creditor's own sequence number, zero-padded. */
export const IUV_BASE_DIGITS = 13;

/** The largest IUV base (13 digits). */
export const MAX_IUV_BASE = 9_999_999_999_999;

const SEGREGATION = /^[0-9]{2}$/;
const CREDITOR_FISCAL_CODE = /^[0-9]{11}$/;

/** True for a codice segregazione: two digits. */
export function isSegregationCode(value: string): boolean {
  return SEGREGATION.test(value);
}

/** The IUV check digit (two digits) of `aux + segregation + base`, modulo 93. */
export function iuvCheckDigits(segregationCode: string, iuvBase: string): string {
  if (!SEGREGATION.test(segregationCode)) throw new Error('Bad segregation code');
  if (!/^[0-9]{13}$/.test(iuvBase)) throw new Error('Bad IUV base');
  const rest = BigInt(`${AUX_DIGIT}${segregationCode}${iuvBase}`) % 93n;
  return rest.toString().padStart(2, '0');
}

/** The codes of one notice. */
export interface NoticeCodes {
  /** The IUV (17 digits). */
  iuv: string;
  /** The numero avviso (18 digits): the aux digit and the IUV. */
  noticeNumber: string;
}

/** The IUV and notice number of the creditor's `sequence`-th notice (1 … 10^13 - 1). */
export function noticeCodes(segregationCode: string, sequence: number): NoticeCodes {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_IUV_BASE) {
    throw new Error('IUV sequence out of range');
  }
  const base = String(sequence).padStart(IUV_BASE_DIGITS, '0');
  const iuv = `${segregationCode}${base}${iuvCheckDigits(segregationCode, base)}`;
  return { iuv, noticeNumber: `${AUX_DIGIT}${iuv}` };
}

/** True for an 18-digit notice number of scheme NAV.3 whose check digits are right. */
export function isValidNoticeNumber(value: string): boolean {
  const match = /^3([0-9]{2})([0-9]{13})([0-9]{2})$/.exec(value);
  if (!match) return false;
  return iuvCheckDigits(match[1]!, match[2]!) === match[3];
}

/** The notice number grouped as printed on the notice: `3012 3456 7890 1234 56`. */
export function groupedNoticeNumber(noticeNumber: string): string {
  return noticeNumber.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The largest amount a QR payload carries: 10 digits of cents. */
export const MAX_QR_AMOUNT_CENTS = 9_999_999_999;

/** The QR code's payload (version 002). */
export function qrPayload(
  noticeNumber: string,
  creditorFiscalCode: string,
  amountCents: number,
): string {
  if (!/^[0-9]{18}$/.test(noticeNumber)) throw new Error('Bad notice number');
  if (!CREDITOR_FISCAL_CODE.test(creditorFiscalCode)) throw new Error('Bad creditor fiscal code');
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0 || amountCents > MAX_QR_AMOUNT_CENTS) {
    throw new Error('Bad amount');
  }
  // The amount takes 2 to 10 digits (io-functions-commons' MIN/MAX_AMOUNT_DIGITS, "by specs").
  return `PAGOPA|002|${noticeNumber}|${creditorFiscalCode}|${String(amountCents).padStart(2, '0')}`;
}

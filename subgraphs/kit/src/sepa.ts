// SEPA Credit Transfer Initiation (ISO 20022 pain.001.001.03) of a batch of payouts (public-welfare's
// reimbursements to shops, the IES circuits' conversions to euro). Plain
// data in, XML text out: no database. The message is the subset described by
// public-welfare's `pain.001.001.03.xsd` (written for the platform, see its header), one PmtInf with one
// CdtTrfTxInf per payee, and the EPC's SEPA rules on top (euro, 2 decimals, SvcLvl SEPA, the
// SEPA character set): `sepaProfileProblems` checks those rules on any pain.001 text.

export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

export interface SepaTransfer {
  /** Max 35 characters of the SEPA set. */
  endToEndId: string;
  amountCents: number;
  creditorName: string;
  creditorIban: string;
  remittance: string;
}

export interface SepaMessage {
  messageId: string;
  paymentInfoId: string;
  createdAt: Date;
  /** YYYY-MM-DD. */
  executionDate: string;
  debtorName: string;
  debtorIban: string;
  /** null: "NOTPROVIDED", as the EPC allows for the debtor's bank. */
  debtorBic: string | null;
  transfers: SepaTransfer[];
}

const LATIN: Record<string, string> = {
  à: 'a',
  á: 'a',
  â: 'a',
  ä: 'a',
  ã: 'a',
  å: 'a',
  è: 'e',
  é: 'e',
  ê: 'e',
  ë: 'e',
  ì: 'i',
  í: 'i',
  î: 'i',
  ï: 'i',
  ò: 'o',
  ó: 'o',
  ô: 'o',
  ö: 'o',
  õ: 'o',
  ù: 'u',
  ú: 'u',
  û: 'u',
  ü: 'u',
  ç: 'c',
  ñ: 'n',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  '’': "'",
  '‘': "'",
  '`': "'",
  '´': "'",
  '“': '',
  '”': '',
  '"': '',
  '–': '-',
  '—': '-',
  '&': '+',
  _: '-',
  ';': ',',
  '/': '/',
};

/** The SEPA character set: latin letters, digits, `/-?:().,'+` and space. */
const SEPA_CHAR = /^[A-Za-z0-9/\-?:().,'+ ]$/;

/**
 * Text as the SEPA character set writes it: accents dropped (è → e, Ä → A), a few signs mapped
 * (& → +, curly quotes → '), anything else a space; spaces collapsed, trimmed, cut to `max`.
 * A leading or trailing `/` and `//` are not allowed in identifiers: use `sepaId` for those.
 */
export function sepaText(text: string, max: number): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const lower = ch.toLowerCase();
    const mapped = LATIN[lower];
    if (mapped !== undefined) out += ch === lower ? mapped : mapped.toUpperCase();
    else if (SEPA_CHAR.test(ch)) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length === 1 && SEPA_CHAR.test(base) ? base : ' ';
    }
  }
  return out.replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/** An identifier (MsgId, EndToEndId): the SEPA set without spaces, no leading/trailing `/`, no `//`. */
export function sepaId(text: string): string {
  return sepaText(text, 35)
    .replace(/ /g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '');
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Cents as an ISO amount with exactly two decimals (`1234` → `12.34`). */
export function sepaAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`bad amount ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** ISODateTime without milliseconds, in UTC (`2026-11-24T13:45:00Z`). */
function isoDateTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pain.001.001.03 document (UTF-8, indented) of one batch. */
export function renderPain001(message: SepaMessage): string {
  if (message.transfers.length === 0) throw new Error('a SEPA message needs a transfer');
  const total = message.transfers.reduce((s, t) => s + t.amountCents, 0);
  const count = String(message.transfers.length);
  const debtorName = xml(sepaText(message.debtorName, 70));
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${PAIN_001_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
    '  <CstmrCdtTrfInitn>',
    '    <GrpHdr>',
    `      <MsgId>${xml(sepaId(message.messageId))}</MsgId>`,
    `      <CreDtTm>${isoDateTime(message.createdAt)}</CreDtTm>`,
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${sepaAmount(total)}</CtrlSum>`,
    '      <InitgPty>',
    `        <Nm>${debtorName}</Nm>`,
    '      </InitgPty>',
    '    </GrpHdr>',
    '    <PmtInf>',
    `      <PmtInfId>${xml(sepaId(message.paymentInfoId))}</PmtInfId>`,
    '      <PmtMtd>TRF</PmtMtd>',
    '      <BtchBookg>true</BtchBookg>',
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${sepaAmount(total)}</CtrlSum>`,
    '      <PmtTpInf>',
    '        <SvcLvl>',
    '          <Cd>SEPA</Cd>',
    '        </SvcLvl>',
    '      </PmtTpInf>',
    `      <ReqdExctnDt>${message.executionDate}</ReqdExctnDt>`,
    '      <Dbtr>',
    `        <Nm>${debtorName}</Nm>`,
    '      </Dbtr>',
    '      <DbtrAcct>',
    '        <Id>',
    `          <IBAN>${xml(message.debtorIban)}</IBAN>`,
    '        </Id>',
    '      </DbtrAcct>',
    '      <DbtrAgt>',
    '        <FinInstnId>',
    ...(message.debtorBic
      ? [`          <BIC>${xml(message.debtorBic)}</BIC>`]
      : ['          <Othr>', '            <Id>NOTPROVIDED</Id>', '          </Othr>']),
    '        </FinInstnId>',
    '      </DbtrAgt>',
    '      <ChrgBr>SLEV</ChrgBr>',
  ];
  for (const t of message.transfers) {
    lines.push(
      '      <CdtTrfTxInf>',
      '        <PmtId>',
      `          <EndToEndId>${xml(sepaId(t.endToEndId))}</EndToEndId>`,
      '        </PmtId>',
      '        <Amt>',
      `          <InstdAmt Ccy="EUR">${sepaAmount(t.amountCents)}</InstdAmt>`,
      '        </Amt>',
      '        <Cdtr>',
      `          <Nm>${xml(sepaText(t.creditorName, 70))}</Nm>`,
      '        </Cdtr>',
      '        <CdtrAcct>',
      '          <Id>',
      `            <IBAN>${xml(t.creditorIban)}</IBAN>`,
      '          </Id>',
      '        </CdtrAcct>',
      '        <RmtInf>',
      `          <Ustrd>${xml(sepaText(t.remittance, 140))}</Ustrd>`,
      '        </RmtInf>',
      '      </CdtTrfTxInf>',
    );
  }
  lines.push('    </PmtInf>', '  </CstmrCdtTrfInitn>', '</Document>', '');
  return lines.join('\n');
}

function texts(doc: string, tag: string): string[] {
  return [...doc.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g'))].map(
    (m) => m[1]!,
  );
}

/** "12.34" → 1234; NaN when it is not an amount with at most two decimals. */
function centsOf(amount: string): number {
  return /^\d{1,9}(\.\d{1,2})?$/.test(amount) ? Math.round(Number(amount) * 100) : Number.NaN;
}

/**
 * The EPC SEPA rules the ISO schema leaves open, checked on a pain.001.001.03 text (the schema
 * itself is checked by xmllint against `pain.001.001.03.xsd`): amounts in EUR with at most two
 * decimals, CtrlSum present in GrpHdr and PmtInf and equal to the sum of the amounts, NbOfTxs equal
 * to the transfers, SvcLvl SEPA, PmtMtd TRF, text only in the SEPA character set. Empty when fine.
 */
export function sepaProfileProblems(doc: string): string[] {
  const problems: string[] = [];
  const amounts = [...doc.matchAll(/<InstdAmt Ccy="([^"]*)">([^<]*)<\/InstdAmt>/g)];
  const cents = amounts.map((m) => centsOf(m[2]!));
  if (amounts.some((m) => m[1] !== 'EUR')) problems.push('a transfer is not in EUR');
  if (cents.some((c) => Number.isNaN(c) || c <= 0))
    problems.push('an amount is not positive with at most two decimals');
  const total = cents.reduce((s, c) => s + c, 0);
  const sums = texts(doc, 'CtrlSum');
  if (sums.length !== 2) problems.push('CtrlSum missing in GrpHdr or PmtInf');
  for (const sum of sums) {
    if (centsOf(sum) !== total) problems.push(`CtrlSum ${sum} is not the sum of the amounts`);
  }
  const counts = texts(doc, 'NbOfTxs');
  if (counts.length !== 2) problems.push('NbOfTxs missing in GrpHdr or PmtInf');
  for (const n of counts) {
    if (Number(n) !== amounts.length) problems.push(`NbOfTxs ${n} is not the number of transfers`);
  }
  if (!texts(doc, 'Cd').includes('SEPA')) problems.push('the service level is not SEPA');
  if (texts(doc, 'PmtMtd').some((m) => m !== 'TRF')) problems.push('the method is not TRF');
  for (const tag of ['Nm', 'Ustrd', 'MsgId', 'PmtInfId', 'EndToEndId']) {
    for (const value of texts(doc, tag)) {
      const plain = value.replace(/&apos;/g, "'");
      if (![...plain].every((ch) => SEPA_CHAR.test(ch)))
        problems.push(`${tag} "${value}" has characters outside the SEPA set`);
    }
  }
  return problems;
}

// pagoPA notices in the cross-process tests: a reporting flow (Flusso di Rendicontazione) written
// after FlussoRiversamento_1_0_4.xsd (github.com/pagopa/pagopa-api, general/), and the notice
// number's check (SACI 3.x, schema NAV.3: aux digit 3, codice segregazione, IUV base, check
// digits = the first 16 digits mod 93).

/** True for an 18-digit NAV.3 notice number whose check digits are right. */
export function isNoticeNumber(value: string): boolean {
  const match = /^(3\d{15})(\d{2})$/.exec(value);
  return match !== null && (BigInt(match[1]!) % 93n).toString().padStart(2, '0') === match[2];
}

/** A flow paying `lines` (amounts as `12.50`) to the creditor with `creditorFiscalCode`. */
export function flowXml(
  creditorFiscalCode: string,
  lines: { iuv: string; iur: string; amount: string }[],
  flowId = `2026-12-05BCITITMM-${Date.now()}`,
): string {
  const cents = lines.reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
  const items = lines
    .map(
      (l) => `  <pay_i:datiSingoliPagamenti>
    <pay_i:identificativoUnivocoVersamento>${l.iuv}</pay_i:identificativoUnivocoVersamento>
    <pay_i:identificativoUnivocoRiscossione>${l.iur}</pay_i:identificativoUnivocoRiscossione>
    <pay_i:singoloImportoPagato>${l.amount}</pay_i:singoloImportoPagato>
    <pay_i:codiceEsitoSingoloPagamento>0</pay_i:codiceEsitoSingoloPagamento>
    <pay_i:dataEsitoSingoloPagamento>2026-12-04</pay_i:dataEsitoSingoloPagamento>
  </pay_i:datiSingoliPagamenti>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<pay_i:FlussoRiversamento xmlns:pay_i="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <pay_i:versioneOggetto>1.0</pay_i:versioneOggetto>
  <pay_i:identificativoFlusso>${flowId}</pay_i:identificativoFlusso>
  <pay_i:dataOraFlusso>2026-12-05T10:15:00</pay_i:dataOraFlusso>
  <pay_i:identificativoUnivocoRegolamento>TRN202612050001</pay_i:identificativoUnivocoRegolamento>
  <pay_i:dataRegolamento>2026-12-05</pay_i:dataRegolamento>
  <pay_i:istitutoMittente>
    <pay_i:identificativoUnivocoMittente>
      <pay_i:tipoIdentificativoUnivoco>B</pay_i:tipoIdentificativoUnivoco>
      <pay_i:codiceIdentificativoUnivoco>BCITITMM</pay_i:codiceIdentificativoUnivoco>
    </pay_i:identificativoUnivocoMittente>
    <pay_i:denominazioneMittente>Banca di Prova S.p.A.</pay_i:denominazioneMittente>
  </pay_i:istitutoMittente>
  <pay_i:istitutoRicevente>
    <pay_i:identificativoUnivocoRicevente>
      <pay_i:tipoIdentificativoUnivoco>G</pay_i:tipoIdentificativoUnivoco>
      <pay_i:codiceIdentificativoUnivoco>${creditorFiscalCode}</pay_i:codiceIdentificativoUnivoco>
    </pay_i:identificativoUnivocoRicevente>
  </pay_i:istitutoRicevente>
  <pay_i:numeroTotalePagamenti>${lines.length}</pay_i:numeroTotalePagamenti>
  <pay_i:importoTotalePagamenti>${(cents / 100).toFixed(2)}</pay_i:importoTotalePagamenti>
${items}
</pay_i:FlussoRiversamento>
`;
}

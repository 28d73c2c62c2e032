import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import { csvFile } from '@welfare/kit/csv';
import type { ReimbursementState } from './reimbursement.enums.js';
import type { ReimbursementService, ShopDashboard } from './reimbursement.service.js';

export interface ReimbursementRouteOptions {
  orm: MikroORM;
  reimbursements: ReimbursementService;
}

/** Cents as an Italian decimal (comma), for CSV. */
function euroText(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}

const STATE_IT: Record<ReimbursementState, string> = {
  VOIDED: 'ANNULLATO',
  FLAGGED: 'SEGNALATO_USO_IMPROPRIO',
  TO_BE_REIMBURSED: 'DA_RIMBORSARE',
  IN_BATCH: 'IN_LOTTO',
  REIMBURSED: 'RIMBORSATO',
};

const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A shop's statement as CSV rows in the Italian Excel dialect (`;`, CRLF, decimal comma). */
function statementCsv(s: ShopDashboard): Buffer {
  return csvFile([
    [
      'data_ora',
      'id_pagamento',
      'categoria',
      'importo_euro',
      'stato_pagamento',
      'stato_rimborso',
      'motivo_segnalazione',
      'lotto_rimborso',
    ],
    ...s.transactions.map((t) => [
      ROME.format(t.createdAt).replace(',', ''),
      t.id,
      t.category,
      euroText(t.amountCents),
      t.status === 'VOIDED' ? 'ANNULLATO' : 'AUTORIZZATO',
      STATE_IT[t.state],
      t.flagReason ?? '',
      t.batchId ?? '',
    ]),
    [],
    ['totale_autorizzato', '', '', euroText(s.totals.authorisedCents)],
    ['totale_annullato', '', '', euroText(s.totals.voidedCents)],
    ['totale_segnalato', '', '', euroText(s.totals.flaggedCents)],
    ['totale_in_lotto', '', '', euroText(s.totals.inBatchCents)],
    ['totale_rimborsato', '', '', euroText(s.totals.reimbursedCents)],
    ['totale_da_rimborsare', '', '', euroText(s.totals.toBeReimbursedCents)],
  ]);
}

/**
 * The reimbursement file routes (behind the gateway's token, reached through its download proxy as
 * `/downloads/public-welfare/files/reimbursements/...`):
 * - `GET /files/reimbursements/sepa.xml?batchId=`: the SEPA pain.001.001.03 file of an APPROVED or
 *   PAID batch (staff of its Comune; 409 for a DRAFT or DISCARDED one, 404 for anyone else).
 * - `GET /files/reimbursements/statement.csv?accreditationId=&from=&to=`: a shop's statement for
 *   the period in the Italian Excel dialect (BOM, `;`, CRLF, decimal comma): the merchant's people
 *   and the Comune's staff.
 */
export function reimbursementRoutes(
  options: ReimbursementRouteOptions,
): Record<string, SubgraphRoute> {
  const sepa: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const file = await options.reimbursements.sepaFile(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('batchId') ?? '',
      );
      sendFile(res, {
        contentType: 'application/xml; charset=utf-8',
        fileName: file.fileName,
        content: Buffer.from(file.xml, 'utf8'),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const statement: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const s = await options.reimbursements.statement(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('accreditationId') ?? '',
        url.searchParams.get('from'),
        url.searchParams.get('to'),
      );
      const period = `${s.period.from ?? 'inizio'}_${s.period.to ?? 'oggi'}`;
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: `rendiconto-${period}.csv`,
        content: statementCsv(s),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return {
    'GET /files/reimbursements/sepa.xml': sepa,
    'GET /files/reimbursements/statement.csv': statement,
  };
}

import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { readUpload, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import { csvFile } from '@welfare/kit/csv';
import { renderRankingPdf, renderReceiptPdf } from '../../lib/pdf.js';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { actorOf, isComuneStaff, isUuid } from '@welfare/kit/access';
import { ApplicationDocument } from './application-document.entity.js';
import type { ApplicationService } from './application.service.js';
import type { CaseService } from './case.service.js';

export interface ApplicationRouteOptions {
  orm: MikroORM;
  audit: AuditService;
  applications: ApplicationService;
  cases: CaseService;
  /** Largest document, in bytes (413 beyond). */
  maxDocumentBytes: number;
}

/** The comune's name for documents: the first line of the campaign's contacts. */
function issuerOf(campaign: Campaign): string {
  return campaign.contacts.split('\n')[0]!.trim().slice(0, 120) || campaign.title;
}

/**
 * The application's file routes (all behind the gateway's token):
 * - `POST /files/documents?applicationId=&code=&name=`: the raw file as body (PDF, JPEG or PNG,
 *   recognised by content). 201 `{"documentId"}`; 400 with field messages, 404, 409, 413.
 * - `GET /files/document?id=`: a document, for its applicant or the Comune's staff (READ_DOCUMENT).
 * - `GET /files/receipt.pdf?applicationId=`: the receipt of a submitted application.
 * - `GET /exports/ranking.csv?campaignId=` and `GET /exports/ranking.pdf?campaignId=`: the
 *   ranking by protocol number (public once computed, like the `campaignRanking` query).
 */
export function applicationRoutes(options: ApplicationRouteOptions): Record<string, SubgraphRoute> {
  return {
    'POST /files/documents': uploadRoute(options),
    'GET /files/document': documentRoute(options),
    'GET /files/receipt.pdf': receiptRoute(options),
    'GET /exports/ranking.csv': rankingCsvRoute(options),
    'GET /exports/ranking.pdf': rankingPdfRoute(options),
  };
}

/** `POST /files/documents`: an application's document. */
function uploadRoute(options: ApplicationRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const content = await readUpload(req, res, options.maxDocumentBytes);
    if (!content) return;
    try {
      const document = await options.applications.addDocument(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('applicationId') ?? '',
        {
          code: url.searchParams.get('code') ?? '',
          fileName: url.searchParams.get('name') ?? '',
          content,
        },
      );
      sendJson(res, 201, { documentId: document.id }, { 'cache-control': 'no-store' });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

/** `GET /files/document`: a document, for its applicant or the Comune's staff. */
function documentRoute(options: ApplicationRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const id = url.searchParams.get('id') ?? '';
    const em = options.orm.em.fork();
    try {
      if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
      const doc = isUuid(id)
        ? await em.findOne(ApplicationDocument, { id }, { populate: ['content'] })
        : null;
      if (!doc) throw DomainError.notFound();
      // The applicant or the Comune's staff (forApplicant answers NOT_FOUND to anyone else).
      const application = await options.applications.forApplicant(
        em,
        verified.caller,
        doc.applicationId,
      );
      if (isComuneStaff(verified.caller, application.comuneId)) {
        await options.audit.record(
          em,
          actorOf(verified.caller),
          application.comuneId,
          'READ_DOCUMENT',
          `document:${doc.id}`,
        );
      }
      sendFile(res, { contentType: doc.contentType, fileName: doc.fileName, content: doc.content });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

/** `GET /files/receipt.pdf`: the receipt of a submitted application. */
function receiptRoute(options: ApplicationRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const em = options.orm.em.fork();
    try {
      const application = await options.applications.forApplicant(
        em,
        verified.caller,
        url.searchParams.get('applicationId') ?? '',
      );
      if (!application.protocolNumber || !application.submittedAt) throw DomainError.notFound();
      const campaign = await em.findOneOrFail(Campaign, { id: application.campaignId });
      const documents = await options.applications.documents(em, application);
      const pdf = await renderReceiptPdf({
        comuneName: issuerOf(campaign),
        campaignTitle: campaign.title,
        protocolNumber: application.protocolNumber,
        submittedAt: application.submittedAt,
        applicantName: null,
        applicantFiscalCode: options.applications.applicantFiscalCode(application),
        onBehalf: application.onBehalf,
        householdCode: null,
        checks: application.checks,
        documents: documents.map((d) => ({ code: d.code, fileName: d.fileName, sha256: d.sha256 })),
        declarations: campaign.declarations
          .filter((d) => application.answers.acceptedDeclarations.includes(d.code))
          .map((d) => ({ code: d.code, textIt: d.textIt })),
        amountCents: application.amountCents,
      });
      sendFile(res, {
        contentType: 'application/pdf',
        fileName: `ricevuta-${application.protocolNumber.replace('/', '-')}.pdf`,
        content: pdf,
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

/** The campaign's ranking (its rows and the campaign), read for an export (EXPORT_RANKING). */
async function rankingRows(
  options: ApplicationRouteOptions,
  req: IncomingMessage,
  verified: Parameters<SubgraphRoute>[2],
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const campaignId = url.searchParams.get('campaignId') ?? '';
  const em = options.orm.em.fork();
  const rows = await options.cases.ranking(em, verified.caller, campaignId);
  if (!rows)
    throw DomainError.notFound({ it: 'Graduatoria non disponibile.', en: 'No ranking yet.' });
  const campaign = await em.findOneOrFail(Campaign, { id: campaignId });
  await options.audit.record(
    em,
    actorOf(verified.caller),
    campaign.comuneId,
    'EXPORT_RANKING',
    `campaign:${campaign.id}`,
  );
  return { rows, campaign };
}

/** `GET /exports/ranking.csv`: the ranking as CSV (Italian Excel dialect). */
function rankingCsvRoute(options: ApplicationRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    try {
      const { rows } = await rankingRows(options, req, verified);
      const body = csvFile([
        ['posizione', 'protocollo', 'isee_euro', 'componenti', 'minori', 'importo_euro', 'esito'],
        ...rows.map((r) => [
          r.rank,
          r.application.protocolNumber,
          r.application.facts?.iseeCents == null ? '' : euroText(r.application.facts.iseeCents),
          r.application.facts?.size ?? 0,
          r.application.facts?.minors ?? 0,
          euroText(r.application.amountCents ?? 0),
          r.funded ? 'FINANZIATA' : 'IDONEA_NON_FINANZIATA',
        ]),
      ]);
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: 'graduatoria.csv',
        content: body,
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

/** `GET /exports/ranking.pdf`: the ranking as PDF. */
function rankingPdfRoute(options: ApplicationRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    try {
      const { rows, campaign } = await rankingRows(options, req, verified);
      const pdf = await renderRankingPdf({
        comuneName: issuerOf(campaign),
        campaignTitle: campaign.title,
        budgetCents: campaign.budgetCents,
        fundedCents: rows
          .filter((r) => r.funded)
          .reduce((s, r) => s + (r.application.amountCents ?? 0), 0),
        rankedAt: campaign.rankedAt ?? new Date(),
        rows: rows.map((r) => ({
          rank: r.rank,
          protocolNumber: r.application.protocolNumber ?? '',
          iseeCents: r.application.facts?.iseeCents ?? null,
          size: r.application.facts?.size ?? 0,
          minors: r.application.facts?.minors ?? 0,
          amountCents: r.application.amountCents ?? 0,
          funded: r.funded,
        })),
      });
      sendFile(res, { contentType: 'application/pdf', fileName: 'graduatoria.pdf', content: pdf });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

/** Cents as an Italian decimal (comma), for CSV. */
function euroText(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { errorBody, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { requireHr } from '../shared/access.js';
import type { EnrolmentRunner } from './enrolment-runner.js';
import { UploadTooLarge } from './enrolment-staging.js';
import type { EnrolmentService } from './enrolment.service.js';

// Mirrors public-welfare's `modules/imports/import.route.ts` (same checks, statuses and streaming),
// for HR of an employer instead of staff of a Comune.

/** The upload route (through the gateway: `POST /uploads/corporate-welfare/imports/employees`). */
export const ENROLMENT_ROUTE = 'POST /imports/employees';

/** The rejections file (through the gateway: `GET /downloads/corporate-welfare/files/…`). */
export const REJECTIONS_ROUTE = 'GET /files/enrolment/rejections.csv';

/**
 * `GET /files/enrolment/rejections.csv?employerId=&jobId=`: every stored rejection of a job as CSV
 * (line, field, reason in Italian and English), for HR of the employer; NOT_FOUND for a job that
 * is missing or another employer's.
 */
export function rejectionsRoute(enrolment: EnrolmentService, orm: MikroORM): SubgraphRoute {
  return async (req, res, verified) => {
    req.resume();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: 'scarti-dipendenti.csv',
        content: await enrolment.rejectionsCsv(
          orm.em.fork(),
          verified.caller,
          url.searchParams.get('employerId') ?? '',
          url.searchParams.get('jobId') ?? '',
        ),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

export interface EnrolmentRouteOptions {
  orm: MikroORM;
  enrolment: EnrolmentService;
  runner: EnrolmentRunner;
  /** Largest body, in bytes (413 beyond). */
  maxBytes: number;
}

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/**
 * `POST /imports/employees?employerId=<uuid>`, `Content-Type: text/csv`, the gateway's token.
 * Checks, in order: caller and employer (401 anonymous, 400 malformed id, 403 not HR of that
 * employer), content type (415), declared length (413). Then it creates the QUEUED job, streams
 * the body into the importer as it arrives (never buffered whole) and answers `202 {"jobId"}`
 * once the upload has been received; the merge finishes in the background. A body over the limit
 * stops the import (the job FAILS), is drained and answered 413.
 */
export function enrolmentRoute(options: EnrolmentRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const jobId = await createJob(options, req, res, verified.caller);
    if (jobId === undefined) return;
    const upload = streamUpload(req, options.maxBytes);
    void options.runner.start(jobId, upload.body);
    await upload.received;
    if (upload.over()) return tooLarge(res, options.maxBytes);
    sendJson(res, 202, { jobId }, { 'cache-control': 'no-store' });
  };
}

async function createJob(
  options: EnrolmentRouteOptions,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
): Promise<string | undefined> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const employerId = url.searchParams.get('employerId') ?? '';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  try {
    requireHr(caller, employerId);
    if (contentType !== 'text/csv') throw new WrongContentType();
    if (declared > options.maxBytes) throw new UploadTooLarge();
    const job = await options.enrolment.createJob(options.orm.em.fork(), caller, employerId);
    return job.id;
  } catch (err) {
    req.resume();
    if (err instanceof DomainError && STATUS[err.code]) {
      sendError(res, STATUS[err.code]!, err.code, err.localized.it, err.localized.en, {
        connection: 'close',
      });
      return undefined;
    }
    if (err instanceof WrongContentType) {
      sendError(
        res,
        415,
        'BAD_USER_INPUT',
        'Inviare un file CSV (text/csv).',
        'Send a CSV file (text/csv).',
        { connection: 'close' },
      );
      return undefined;
    }
    if (err instanceof UploadTooLarge) {
      tooLarge(res, options.maxBytes, { connection: 'close' });
      return undefined;
    }
    throw err;
  }
}

/**
 * The request's body as a stream for the importer, as it arrives (the upload is paused while the
 * importer catches up). Past `maxBytes` the stream is destroyed with UploadTooLarge and the rest
 * is drained. `received` resolves once the upload has ended.
 */
function streamUpload(req: IncomingMessage, maxBytes: number) {
  const body = new PassThrough();
  body.on('error', () => undefined);
  let size = 0;
  let over = false;
  body.once('close', () => {
    if (req.isPaused()) req.resume();
  });
  const received = new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      if (over || body.destroyed) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        body.destroy(new UploadTooLarge());
        return;
      }
      if (!body.write(chunk)) {
        req.pause();
        body.once('drain', () => req.resume());
      }
    });
    req.once('end', () => {
      if (!body.destroyed) body.end();
      resolve();
    });
    req.once('error', () => {
      body.destroy(new Error('upload aborted'));
      resolve();
    });
  });
  return { body, received, over: () => over };
}

class WrongContentType extends Error {}

function tooLarge(res: ServerResponse, maxBytes: number, headers: Record<string, string> = {}) {
  const mb = Math.floor(maxBytes / (1024 * 1024));
  sendError(
    res,
    413,
    'BAD_USER_INPUT',
    `File troppo grande (massimo ${mb} MB).`,
    `File too large (at most ${mb} MB).`,
    headers,
  );
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  it: string,
  en: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, errorBody(code, it, en), headers);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { errorBody, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import { requireComuneStaff } from '@welfare/kit/access';
import type { ImportKind } from '../shared/enums.js';
import type { ImportRunner } from './import-runner.js';
import { UploadTooLarge } from './import-staging.js';
import type { ImportService } from './import.service.js';

/** The upload routes, by `METHOD /path`. */
export const IMPORT_ROUTES: Record<string, ImportKind> = {
  'POST /imports/registry': 'REGISTRY',
  'POST /imports/income': 'INCOME',
};

/** The route of `rejectionsRoute`. */
export const REJECTIONS_ROUTE = 'GET /files/imports/rejections.csv';

/**
 * `GET /files/imports/rejections.csv?jobId=`: every stored rejection of a job as CSV (line, field,
 * reason in Italian and English), for staff of the job's Comune; NOT_FOUND for a missing job.
 */
export function rejectionsRoute(imports: ImportService, orm: MikroORM): SubgraphRoute {
  return async (req, res, verified) => {
    req.resume();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const jobId = url.searchParams.get('jobId') ?? '';
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: 'scarti-importazione.csv',
        content: await imports.rejectionsCsv(orm.em.fork(), verified.caller, jobId),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

export interface ImportRouteOptions {
  orm: MikroORM;
  imports: ImportService;
  runner: ImportRunner;
  /** Largest body, in bytes (413 beyond). */
  maxBytes: number;
}

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/**
 * `POST /imports/{registry|income}?comuneId=<uuid>[&jobId=<uuid>]`, `Content-Type: text/csv`, the
 * gateway's token. Checks, in order: token (401), caller and Comune (401 anonymous, 400 malformed
 * id, 403 not staff of that Comune), content type (415), declared length (413). Then it creates the
 * QUEUED job (with `jobId` when given: the portal's page chooses it so that it can show the job's
 * progress while it sends the file, since this answer comes only once the upload has been
 * received; 400 when malformed or taken), streams the body into the importer as it arrives (never buffered whole; the upload
 * is paused while the importer catches up) and answers `202 {"jobId"}` once the upload has been
 * received; the merge finishes in the background. A body over the limit stops the import (the
 * job FAILS), is drained and answered 413.
 */
export function importRoute(kind: ImportKind, options: ImportRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const jobId = await createJob(kind, options, req, res, verified.caller);
    if (jobId === undefined) return;
    const upload = streamUpload(req, options.maxBytes);
    void options.runner.start(jobId, upload.body);
    await upload.received;
    if (upload.over()) return tooLarge(res, options.maxBytes);
    sendJson(res, 202, { jobId }, { 'cache-control': 'no-store' });
  };
}

/**
 * The checks before the body (caller and Comune, content type, declared length) and the QUEUED
 * job: its id, or undefined once the refusal has been answered.
 */
async function createJob(
  kind: ImportKind,
  options: ImportRouteOptions,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
): Promise<string | undefined> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const comuneId = url.searchParams.get('comuneId') ?? '';
  // The uploading page's own id for the job, so that it can show the job before the upload ends.
  const jobId = url.searchParams.get('jobId') ?? undefined;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  try {
    requireComuneStaff(caller, comuneId);
    if (contentType !== 'text/csv') throw new WrongContentType();
    if (declared > options.maxBytes) throw new UploadTooLarge();
    const job = await options.imports.createJob(
      options.orm.em.fork(),
      caller,
      comuneId,
      kind,
      jobId,
    );
    return job.id;
  } catch (err) {
    if (err instanceof DomainError && STATUS[err.code]) {
      // A refused field's own words say more than "some data is not valid".
      const message = err.fields[0]?.message ?? err.localized;
      sendError(res, STATUS[err.code]!, err.code, message.it, message.en, {
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
        {
          connection: 'close',
        },
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
 * The request's body as a stream for the importer, as it arrives (never buffered whole; the
 * upload is paused while the importer catches up). Past `maxBytes` the stream is destroyed with
 * UploadTooLarge and the rest is drained. `received` resolves once the upload has ended.
 */
function streamUpload(req: IncomingMessage, maxBytes: number) {
  const body = new PassThrough();
  // The importer sees the body's errors through its pipeline (even once it is destroyed); this
  // listener only keeps an error raised before the importer attached from crashing the process.
  body.on('error', () => undefined);
  let size = 0;
  let over = false;
  body.once('close', () => {
    if (req.isPaused()) req.resume();
  });
  const received = new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      if (over || body.destroyed) return; // drain what is left
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
    // A client gone before the end of its body: the job stops now (its rows are never merged).
    req.once('close', () => {
      if (!req.complete && !body.destroyed) body.destroy(new Error('upload aborted'));
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

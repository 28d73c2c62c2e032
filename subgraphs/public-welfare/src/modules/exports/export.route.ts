import type { ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { errorBody, sendJson } from '@welfare/kit/http';
import type { AuditService } from '../audit/audit.service.js';
import { exportHouseholds, parseExportFilter } from './household-export.js';

export const EXPORT_ROUTE = 'GET /exports/households.csv';

export interface ExportRouteOptions {
  orm: MikroORM;
  audit: AuditService;
}

const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/**
 * `GET /exports/households.csv?comuneId=<uuid>&<filter>`, the gateway's token. 401 without a valid
 * token or for an anonymous caller, 400 for a malformed id or filter, 403 for anyone not staff of
 * the Comune (nothing audited). Otherwise streams the matching households as Italian Excel CSV
 * (BOM, `;`, CRLF) as `nuclei.csv`, after one EXPORT_HOUSEHOLDS audit row.
 */
export function exportRoute(options: ExportRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const comuneId = url.searchParams.get('comuneId') ?? '';
    const em = options.orm.em.fork();
    let lines: AsyncGenerator<string>;
    try {
      lines = await exportHouseholds(
        em,
        options.audit,
        verified.caller,
        comuneId,
        parseExportFilter(url.searchParams),
      );
    } catch (err) {
      if (err instanceof DomainError && STATUS[err.code]) {
        return sendError(res, STATUS[err.code]!, err.code, err.localized.it, err.localized.en);
      }
      throw err;
    }
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="nuclei.csv"',
      'cache-control': 'no-store',
    });
    res.write('\ufeff');
    for await (const chunk of lines) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      if (res.destroyed) break;
    }
    res.end();
  };
}

function sendError(res: ServerResponse, status: number, code: string, it: string, en: string) {
  sendJson(res, status, errorBody(code, it, en));
}

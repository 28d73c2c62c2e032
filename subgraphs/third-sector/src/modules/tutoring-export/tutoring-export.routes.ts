import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import type { TutoringExportService } from './tutoring-export.service.js';

export interface TutoringRouteOptions {
  orm: MikroORM;
  /** The tutoring services (only `exports` is used). */
  tutoring: { exports: TutoringExportService };
  now?: () => Date;
}

/**
 * The tutoring files (behind the gateway's token, reached through
 * `GET /downloads/third-sector/exports/…`):
 * - `tutoring-report.csv?programmeId=` and `tutoring-report.pdf?programmeId=`: the hours report,
 *   for the funding Comune's staff and the provider's ADMIN (404 for anyone else);
 * - `tutoring-lessons.ics`: the caller's (a family's) seated and waitlisted lessons.
 */
export function tutoringRoutes(options: TutoringRouteOptions): Record<string, SubgraphRoute> {
  const now = options.now ?? (() => new Date());
  const exports = options.tutoring.exports;
  const report =
    (format: 'csv' | 'pdf'): SubgraphRoute =>
    async (req, res, verified) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
        const programmeId = url.searchParams.get('programmeId') ?? '';
        const em = options.orm.em.fork();
        sendFile(res, await exports.reportFile(em, verified.caller, programmeId, format, now()));
      } catch (err) {
        sendDomainError(res, err);
      }
    };

  const calendar: SubgraphRoute = async (_req, res, verified) => {
    try {
      if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
      sendFile(res, await exports.calendarFile(options.orm.em.fork(), verified.caller));
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return {
    'GET /exports/tutoring-report.csv': report('csv'),
    'GET /exports/tutoring-report.pdf': report('pdf'),
    'GET /exports/tutoring-lessons.ics': calendar,
  };
}

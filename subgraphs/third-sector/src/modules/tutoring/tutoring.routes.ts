import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError, type SubgraphRoute } from '@welfare/kit';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import { reportCsv, reportPdf } from './tutoring-report.files.js';
import type { TutoringService } from './tutoring.service.js';

export interface TutoringRouteOptions {
  orm: MikroORM;
  tutoring: TutoringService;
  now?: () => Date;
}

/** A file name from a title: letters, digits and dashes. */
function slug(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'programma'
  );
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
  const report =
    (format: 'csv' | 'pdf'): SubgraphRoute =>
    async (req, res, verified) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
        const data = await options.tutoring.report(
          options.orm.em.fork(),
          verified.caller,
          url.searchParams.get('programmeId') ?? '',
        );
        const name = `rendiconto-tutoraggio-${slug(data.programme.title)}`;
        if (format === 'csv') {
          sendFile(res, {
            contentType: 'text/csv; charset=utf-8',
            fileName: `${name}.csv`,
            content: Buffer.from(reportCsv(data), 'utf8'),
          });
        } else {
          sendFile(res, {
            contentType: 'application/pdf',
            fileName: `${name}.pdf`,
            content: await reportPdf(data, now()),
          });
        }
      } catch (err) {
        sendDomainError(res, err);
      }
    };

  const calendar: SubgraphRoute = async (_req, res, verified) => {
    try {
      if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
      const text = await options.tutoring.familyCalendar(options.orm.em.fork(), verified.caller);
      sendFile(res, {
        contentType: 'text/calendar; charset=utf-8',
        fileName: 'lezioni-tutoraggio.ics',
        content: Buffer.from(text, 'utf8'),
      });
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

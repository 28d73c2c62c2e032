import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import { dashboardCsv, dashboardXlsx } from './monitoring.export.js';
import type { DashboardPeriod, MonitoringService } from './monitoring.service.js';

export interface MonitoringRouteOptions {
  orm: MikroORM;
  monitoring: MonitoringService;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The dashboard's exports (behind the gateway's token, the same tenancy as the
 * `campaignDashboard` query: staff of the campaign's Comune, NOT_FOUND for anyone else):
 * - `GET /files/monitoring/dashboard.csv?campaignId=&from=&to=`: one CSV (Italian Excel dialect)
 *   with four sections: Riepilogo, Per esercente, Per categoria, Per giorno.
 * - `GET /files/monitoring/dashboard.xlsx?campaignId=&from=&to=`: an Excel workbook, one sheet per
 *   table. `from`/`to` (YYYY-MM-DD, optional) bound the by-day series, as the query's `period`.
 */
export function monitoringRoutes(options: MonitoringRouteOptions): Record<string, SubgraphRoute> {
  const load = (req: IncomingMessage, verified: Parameters<SubgraphRoute>[2]) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const period: DashboardPeriod = {
      from: url.searchParams.get('from'),
      to: url.searchParams.get('to'),
    };
    return options.monitoring.dashboard(
      options.orm.em.fork(),
      verified.caller,
      url.searchParams.get('campaignId') ?? '',
      period,
    );
  };

  const csv: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    try {
      const dashboard = await load(req, verified);
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: 'cruscotto.csv',
        content: dashboardCsv(dashboard),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const xlsx: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    try {
      const dashboard = await load(req, verified);
      sendFile(res, {
        contentType: XLSX,
        fileName: 'cruscotto.xlsx',
        content: await dashboardXlsx(dashboard),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return {
    'GET /files/monitoring/dashboard.csv': csv,
    'GET /files/monitoring/dashboard.xlsx': xlsx,
  };
}

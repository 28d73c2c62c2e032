import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import { sendDomainError, sendFile } from '@welfare/kit/http';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { payrollCsv, payrollFileName, payrollXlsx } from './payroll.export.js';
import type { PayrollService } from './payroll.service.js';

export interface PayrollRouteOptions {
  orm: MikroORM;
  payroll: PayrollService;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The monthly payroll export (behind the gateway's token; the employer's HR only, as the
 * `employerWelfarePayroll` query):
 * - `GET /exports/payroll.csv?employerId=&month=YYYY-MM`: CSV, Italian Excel dialect;
 * - `GET /exports/payroll.xlsx?employerId=&month=YYYY-MM`: an Excel workbook.
 */
export function payrollRoutes(options: PayrollRouteOptions): Record<string, SubgraphRoute> {
  const load = (req: IncomingMessage, verified: Parameters<SubgraphRoute>[2]) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    return options.payroll.month(
      options.orm.em.fork(),
      verified.caller,
      url.searchParams.get('employerId') ?? '',
      url.searchParams.get('month') ?? '',
    );
  };
  const csv: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    try {
      const month = await load(req, verified);
      sendFile(res, {
        contentType: 'text/csv; charset=utf-8',
        fileName: payrollFileName(month.month, 'csv'),
        content: payrollCsv(month),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
  const xlsx: SubgraphRoute = async (req, res, verified) => {
    req.resume();
    try {
      const month = await load(req, verified);
      sendFile(res, {
        contentType: XLSX,
        fileName: payrollFileName(month.month, 'xlsx'),
        content: await payrollXlsx(month),
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
  return { 'GET /exports/payroll.csv': csv, 'GET /exports/payroll.xlsx': xlsx };
}

import { dashboardDownload } from '../dashboard.server';
import type { RequestHandler } from './$types';

/** `GET …/cruscotto/cruscotto.xlsx`: the dashboard as an Excel workbook (one sheet per table). */
export const GET: RequestHandler = (event) => dashboardDownload(event, 'xlsx');

import { dashboardDownload } from '../dashboard.server';
import type { RequestHandler } from './$types';

/** `GET …/cruscotto/cruscotto.csv`: the whole dashboard as one CSV (four sections). */
export const GET: RequestHandler = (event) => dashboardDownload(event, 'csv');

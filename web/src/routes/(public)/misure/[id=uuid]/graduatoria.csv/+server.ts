import { rankingDownload } from '../ranking-download';
import type { RequestHandler } from './$types';

/** `GET /misure/<id>/graduatoria.csv`: the ranking by protocol number, as a CSV file. */
export const GET: RequestHandler = (event) => rankingDownload(event, 'csv');

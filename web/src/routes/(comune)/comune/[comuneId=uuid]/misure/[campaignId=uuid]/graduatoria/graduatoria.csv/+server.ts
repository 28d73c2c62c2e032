import { rankingDownload } from '../ranking-download.server';
import type { RequestHandler } from './$types';

/** `GET …/graduatoria/graduatoria.csv`: the ranking by protocol number (CSV). */
export const GET: RequestHandler = (event) => rankingDownload(event, 'csv');

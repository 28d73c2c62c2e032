import { rankingDownload } from '../ranking-download.server';
import type { RequestHandler } from './$types';

/** `GET …/graduatoria/graduatoria.pdf`: the ranking by protocol number (PDF). */
export const GET: RequestHandler = (event) => rankingDownload(event, 'pdf');

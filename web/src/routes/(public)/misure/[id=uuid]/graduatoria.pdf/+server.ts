import { rankingDownload } from '../ranking-download';
import type { RequestHandler } from './$types';

/** `GET /misure/<id>/graduatoria.pdf`: the ranking by protocol number, as a PDF document. */
export const GET: RequestHandler = (event) => rankingDownload(event, 'pdf');

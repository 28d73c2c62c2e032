import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { transparencyOf } from '../figures.server';

/** `GET /circuiti-ies/<code>/dati.json`: the circuit's public figures, polled by its page. */
export const GET: RequestHandler = async (event) =>
  json(await transparencyOf(event, event.params.code), {
    headers: { 'cache-control': 'no-store' },
  });

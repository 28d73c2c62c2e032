import { streamImport, streamedJob } from '$lib/server/import-stream';
import type { RequestHandler } from './$types';

/** The import page's streamed upload (with JavaScript); see `streamImport`. */
export const POST: RequestHandler = (event) => streamImport(event, event.params.comuneId);

/** Whether the page's job exists yet; see `streamedJob`. */
export const GET: RequestHandler = (event) => streamedJob(event, event.params.comuneId);

// The HR pages of employees (cw-enrolment): the upload of the enrolment file
// to the corporate-welfare subgraph (streamed through the gateway, as the Comune's imports), and
// the template file.
import { config } from './config';
import type { GatewayContext } from './gateway';
import { UPLOAD_TIMEOUT_MS, type UploadResult, uploadOutcome } from './uploads';
import { postUpload } from './gateway-upload';

/** The columns of the enrolment file, in order (`data_fine` optional). */
export const ENROLMENT_COLUMNS = [
  'codice_fiscale',
  'nome',
  'cognome',
  'email',
  'categoria',
  'data_inizio',
  'figli_a_carico',
  'data_fine',
] as const;

/** The template file: the header and one example row (`;`, the Italian Excel dialect, BOM). */
export function enrolmentTemplate(): string {
  return `\ufeff${ENROLMENT_COLUMNS.join(';')}\r\nRSSMRA80A01H501U;Mario;Rossi;mario.rossi@example.it;OPERAI;01/01/2026;1;\r\n`;
}

/**
 * Streams an enrolment CSV to the gateway's upload route with the session (as GraphQL calls go).
 * Never throws: a network failure or a timeout is `unavailable`.
 */
export async function uploadEnrolment(
  context: GatewayContext,
  upload: { employerId: string; file: Blob },
): Promise<UploadResult> {
  const answer = await postUpload(context, {
    url: () => {
      const url = new URL('/uploads/corporate-welfare/imports/employees', config().gatewayUrl);
      url.searchParams.set('employerId', upload.employerId);
      return url;
    },
    body: upload.file.stream(),
    contentType: 'text/csv',
    timeoutMs: UPLOAD_TIMEOUT_MS,
  });
  if (!answer) return { ok: false, problem: 'unavailable', error: undefined };
  return uploadOutcome(answer.status, answer.body);
}

// The import page's streamed upload (with JavaScript): the file's bytes go as the raw body of one
// request to the portal's `…/importazioni/carica`, under a job id chosen here, and the job's page
// is shown as soon as the job exists, while this document still sends the file. A full reload or
// closing the tab stops the upload (its job then fails: "Caricamento interrotto").
import { SvelteSet } from 'svelte/reactivity';

/** Jobs whose file this document is still sending (reactive). */
export const sending = new SvelteSet<string>();
/** Jobs this document sent (their page refreshes itself without reloading the document). */
export const sentHere = new SvelteSet<string>();

/** A random version 4 UUID (`crypto.randomUUID` needs a secure context; this does not). */
function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How often the page asks whether the job exists yet, in milliseconds. */
const POLL_MS = 150;

/**
 * Starts sending `file` to `endpoint` and resolves, as soon as the job exists, with its id (the
 * upload goes on), or with null when the upload was refused or failed before that (the caller
 * then sends the form the old way, for the server's own words).
 */
export async function startStreamedUpload(
  endpoint: string,
  kind: string,
  file: File,
): Promise<string | null> {
  const jobId = newJobId();
  const query = `tipo=${encodeURIComponent(kind)}&job=${jobId}`;
  sending.add(jobId);
  sentHere.add(jobId);
  // Whether the upload was accepted, once it has been answered.
  const upload: { settled: boolean | null } = { settled: null };
  void fetch(`${endpoint}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: file,
  })
    .then(
      (response) => (upload.settled = response.status === 202),
      () => (upload.settled = false),
    )
    .finally(() => sending.delete(jobId));
  while (upload.settled === null) {
    const seen = await fetch(`${endpoint}?job=${jobId}`).then(
      (response) => response.ok,
      () => false,
    );
    if (seen) return jobId;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return upload.settled ? jobId : null;
}

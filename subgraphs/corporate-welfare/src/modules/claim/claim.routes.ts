import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import { readUpload, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import type { ClaimFiling, ClaimService } from './claim.service.js';
import { MAX_RECEIPTS } from './claim.rules.js';

export interface ClaimRouteOptions {
  orm: MikroORM;
  claims: ClaimService;
}

/** The form's text fields, beside the `receipts` files. */
const TEXT_FIELDS = [
  'planId',
  'purpose',
  'relationship',
  'beneficiaryName',
  'beneficiaryFiscalCode',
  'beneficiaryBirthDate',
  'expenseDate',
  'description',
  'amount',
] as const;

/**
 * A claim's `multipart/form-data` body as a filing: the text fields (missing ones empty),
 * `beneficiaryDependent` checked when present, and every non-empty `receipts` file (a form sends
 * an empty part for a file input left empty). Undefined when the body is not such a form.
 */
export async function parseClaimForm(
  contentType: string,
  body: Buffer,
): Promise<ClaimFiling | undefined> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return undefined;
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const receipts: ClaimFiling['receipts'] = [];
  for (const value of form.getAll('receipts')) {
    if (typeof value === 'string' || (value.size === 0 && !value.name)) continue;
    receipts.push({ fileName: value.name, content: Buffer.from(await value.arrayBuffer()) });
  }
  const fields = Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(f)])) as Record<
    (typeof TEXT_FIELDS)[number],
    string
  >;
  return { ...fields, beneficiaryDependent: form.has('beneficiaryDependent'), receipts };
}

/**
 * The claims' file routes (behind the gateway's token, reached through
 * `POST /uploads/corporate-welfare/files/claims` and
 * `GET /downloads/corporate-welfare/files/claim-receipt?id=`):
 * - `POST /files/claims`: a claim and its receipts as one `multipart/form-data` form (fields of
 *   `ClaimFiling`, files `receipts`). 201 `{"claimId"}`; 400 with field messages (nothing
 *   written), 403, 413 over the size of the receipts together.
 * - `GET /files/claim-receipt?id=`: a receipt, for the employer's HR and the employee.
 */
export function claimRoutes(options: ClaimRouteOptions): Record<string, SubgraphRoute> {
  // The receipts and the form's text, with room for the multipart framing.
  const maxBody = options.claims.maxReceiptBytes * MAX_RECEIPTS + 256 * 1024;

  const file: SubgraphRoute = async (req, res, verified) => {
    const body = await readUpload(req, res, maxBody);
    if (!body) return;
    try {
      const filing = await parseClaimForm(req.headers['content-type'] ?? '', body);
      if (!filing) {
        throw DomainError.badInput([
          {
            field: 'receipts',
            message: {
              it: 'Inviare il modulo con le ricevute allegate.',
              en: 'Send the form with the receipts attached.',
            },
          },
        ]);
      }
      const view = await options.claims.file(options.orm.em.fork(), verified.caller, filing);
      sendJson(res, 201, { claimId: view.claim.id }, { 'cache-control': 'no-store' });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const receipt: SubgraphRoute = async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const found = await options.claims.receipt(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('id') ?? '',
      );
      sendFile(res, {
        contentType: found.contentType,
        fileName: found.fileName,
        content: found.content,
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return { 'POST /files/claims': file, 'GET /files/claim-receipt': receipt };
}

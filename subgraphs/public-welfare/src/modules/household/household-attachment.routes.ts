import type { MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import { readUpload, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import type { HouseholdFileService } from './household-file.service.js';

export interface HouseholdAttachmentRouteOptions {
  orm: MikroORM;
  householdFile: HouseholdFileService;
  /** Largest attachment, in bytes (413 beyond). */
  maxBytes: number;
}

/**
 * The household attachments' file routes (behind the gateway's token; staff of the household's
 * Comune only, the service decides):
 * - `POST /files/household-attachments?householdId=&name=&description=`: the raw file as body
 *   (PDF, JPEG or PNG, recognised by content). 201 `{"attachmentId"}`; 400 with field errors
 *   (`description`, `file`), 401, 403, 404, 413.
 * - `GET /files/household-attachment?id=`: the file (READ_HOUSEHOLD_ATTACHMENT); 401, 403, 404.
 */
export function householdAttachmentRoutes(
  options: HouseholdAttachmentRouteOptions,
): Record<string, SubgraphRoute> {
  return {
    'POST /files/household-attachments': uploadRoute(options),
    'GET /files/household-attachment': downloadRoute(options),
  };
}

function uploadRoute(options: HouseholdAttachmentRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const content = await readUpload(req, res, options.maxBytes);
    if (!content) return;
    try {
      const attachment = await options.householdFile.addAttachment(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('householdId') ?? '',
        {
          description: url.searchParams.get('description') ?? '',
          fileName: url.searchParams.get('name') ?? '',
          content,
        },
      );
      sendJson(res, 201, { attachmentId: attachment.id }, { 'cache-control': 'no-store' });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

function downloadRoute(options: HouseholdAttachmentRouteOptions): SubgraphRoute {
  return async (req, res, verified) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const attachment = await options.householdFile.attachmentContent(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('id') ?? '',
      );
      sendFile(res, {
        contentType: attachment.contentType,
        fileName: attachment.fileName,
        content: attachment.content,
      });
    } catch (err) {
      sendDomainError(res, err);
    }
  };
}

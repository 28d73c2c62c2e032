import type { MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import { readUpload, sendDomainError, sendFile, sendJson } from '@welfare/kit/http';
import type { SubgraphRoute } from '@welfare/kit/subgraph';
import type { PlanService } from './plan.service.js';

export interface PlanRouteOptions {
  orm: MikroORM;
  plans: PlanService;
  /** Largest regulation, in bytes (413 beyond). */
  maxRegulationBytes: number;
}

/**
 * The plan's regulation (behind the gateway's token, reached through
 * `POST /uploads/corporate-welfare/files/plan-regulation` and
 * `GET /downloads/corporate-welfare/files/plan-regulation`), for the employer's HR:
 * - `POST /files/plan-regulation?planId=&name=`: the raw file as body (PDF, JPEG or PNG,
 *   recognised by content), while the plan is an unpublished draft. 201 `{"planId"}`; 400 with
 *   field messages, 403, 404, 409, 413.
 * - `GET /files/plan-regulation?planId=`: the regulation.
 */
export function planRoutes(options: PlanRouteOptions): Record<string, SubgraphRoute> {
  const upload: SubgraphRoute = async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const content = await readUpload(req, res, options.maxRegulationBytes);
    if (!content) return;
    try {
      const plan = await options.plans.setRegulation(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('planId') ?? '',
        { fileName: url.searchParams.get('name') ?? '', content },
      );
      sendJson(res, 201, { planId: plan.id }, { 'cache-control': 'no-store' });
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  const download: SubgraphRoute = async (req, res, verified) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (verified.caller.kind !== 'person') throw DomainError.unauthenticated();
      const file = await options.plans.regulation(
        options.orm.em.fork(),
        verified.caller,
        url.searchParams.get('planId') ?? '',
      );
      sendFile(res, file);
    } catch (err) {
      sendDomainError(res, err);
    }
  };

  return { 'POST /files/plan-regulation': upload, 'GET /files/plan-regulation': download };
}

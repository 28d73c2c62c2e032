import type { MikroORM } from '@mikro-orm/postgresql';
import { REIMBURSEMENT_PATHS, deliveredLessonsRequest } from '@welfare/kit/contracts';
import { internalRoute, type InternalRoute } from '@welfare/kit/service';
import type { TutoringStatementService } from './tutoring-statement.service.js';

/** The only service that may read delivered hours: the owner of the reimbursement batches. */
export const STATEMENT_CALLERS = ['public-welfare'] as const;

/**
 * The reimbursement contract's delivered lessons (`POST /internal/reimbursement/delivered-lessons`):
 * public-welfare's service token only (401 / 403 for anyone else), the body validated by the
 * contract (400 with fields).
 */
export function tutoringStatementRoutes(
  orm: MikroORM,
  statements: TutoringStatementService,
): Record<string, InternalRoute> {
  return {
    [`POST ${REIMBURSEMENT_PATHS.deliveredLessons}`]: internalRoute({
      callers: STATEMENT_CALLERS,
      input: deliveredLessonsRequest,
      run: async (input) => ({
        lessons: await statements.deliveredLessons(orm.em.fork(), input.comuneId, input.upTo),
      }),
    }),
  };
}

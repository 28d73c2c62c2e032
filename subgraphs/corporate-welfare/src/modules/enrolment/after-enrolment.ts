import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * What happens after employees of an employer were enrolled or changed (an import committed, an
 * employee edited): the funding's `creditEnrolled(em, employerId)` credits the new employees of
 * the employer's active plans (each once). Given to the enrolment and employee services by
 * `services.ts`, so that this module does not depend on the funding module.
 */
export type AfterEnrolment = (em: EntityManager, employerId: string) => Promise<unknown>;

import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf } from '@welfare/kit/access';
import type { Application } from './application.entity.js';
import type { ApplicationStatus, CaseEventKind } from './application.enums.js';
import { CaseEvent } from './case-event.entity.js';

export type ActorRole = 'CITIZEN' | 'OPERATOR' | 'SYSTEM';

/** Appends one timeline entry (persisted with the caller's next flush). */
export function recordCaseEvent(
  em: EntityManager,
  application: Application,
  kind: CaseEventKind,
  who: { caller: Caller; role: ActorRole } | 'system',
  options: {
    from?: ApplicationStatus | null;
    to?: ApplicationStatus | null;
    note?: string | null;
    changes?: Record<string, [unknown, unknown]> | null;
  } = {},
): CaseEvent {
  const event = em.create(CaseEvent, {
    applicationId: application.id,
    comuneId: application.comuneId,
    kind,
    actor: who === 'system' ? 'system' : actorOf(who.caller),
    actorRole: who === 'system' ? 'SYSTEM' : who.role,
    fromStatus: options.from ?? null,
    toStatus: options.to ?? null,
    note: options.note ?? null,
    changes: options.changes ?? null,
  });
  em.persist(event);
  return event;
}

/** Changes the status and records the transition. */
export function transition(
  em: EntityManager,
  application: Application,
  to: ApplicationStatus,
  kind: CaseEventKind,
  who: { caller: Caller; role: ActorRole } | 'system',
  note?: string | null,
): void {
  const from = application.status;
  application.status = to;
  recordCaseEvent(em, application, kind, who, { from, to, note: note ?? null });
}

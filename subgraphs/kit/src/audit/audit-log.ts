import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  onTenancyRefusal,
  requireComuneManager,
  requirePlatformAdmin,
  type TenancyRefusal,
} from '../access.js';
import { actorOf } from '../access.js';
import type { Caller } from '../caller.js';
import { FieldErrors } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  insertAuditEvent,
  readAuditEvents,
  readChainBatch,
  readChainCheck,
  storeChainCheck,
  type AuditEventFilter,
  type AuditRow,
} from './audit.repository.js';

export type { AuditEventFilter };

/** The action the kit writes when a tenancy check refuses a person (see `watchTenancy`). */
export const TENANCY_REFUSED = 'TENANCY_REFUSED';

/** Where a subgraph's log lives. */
export interface AuditLogOptions {
  /** The subgraph's PostgreSQL schema (`identity`, `public_welfare`…). */
  schema: string;
  /**
   * The tenant column: the organisation whose staff oversee the event (public-welfare:
   * `comune_id`; identity and third-sector: `organisation_id`, NULL for platform-level events).
   */
  tenantColumn: string;
}

/** One event as it is read. */
export interface AuditEntry {
  /** Position in the chain. */
  seq: number;
  /** The tenant (a Comune or another organisation); null for a platform-level event. */
  organisationId: string | null;
  actor: string;
  action: string;
  subject: string;
  at: Date;
}

/** A page of events, newest first, and the cursor of the next (older) page. */
export interface AuditPage {
  events: AuditEntry[];
  nextCursor: string | null;
}

/** The result of a verification. */
export interface ChainCheck {
  /** Rows checked. */
  rows: number;
  /** `seq` of the first row whose hash or link does not match, if any. */
  brokenAt: number | undefined;
}

/** The latest stored verification. */
export interface ChainStatus {
  checkedAt: Date;
  rows: number;
  brokenAt: number | null;
}

/** What a reader may ask for. */
export interface AuditQuery extends AuditEventFilter {
  /** Events of this organisation only; absent: every event (platform admins only). */
  organisationId?: string | null;
  /** Page size (1–500, default 50). */
  first?: number | null;
  /** The `nextCursor` of the previous page. */
  after?: string | null;
}

const GENESIS = '0'.repeat(64);
const VERIFY_BATCH = 5_000;
const PAGE_MAX = 500;
const TEXT_MAX = 200;

/**
 * A subgraph's append-only, hash-chained audit log (its own `audit_event` table, created by
 * `auditLogSql`). The database computes the chain and refuses UPDATE, DELETE and TRUNCATE; this
 * service appends, reads (tenancy checked) and verifies.
 */
export class AuditLog<A extends string = string> {
  private readonly pending = new Set<Promise<void>>();

  constructor(readonly options: AuditLogOptions) {}

  /**
   * Appends one event in the EntityManager's transaction, if any (it rolls back with it). The
   * trigger holds the chain's advisory lock until that transaction ends: record last, just
   * before the commit, in a transaction that also does other work. `actor`: see `actorOf`;
   * `organisationId`: the tenant, null for a platform-level event.
   */
  async record(
    em: EntityManager,
    actor: string,
    organisationId: string | null,
    action: A | typeof TENANCY_REFUSED,
    subject: string,
  ): Promise<void> {
    await insertAuditEvent(em, this.options, organisationId, actor, action, subject);
  }

  /**
   * Appends one event in a transaction of its own, on another connection, and returns at once:
   * for a refusal that must be kept although the request fails (its transaction rolls back).
   * Never awaited by the request (the request's transaction may hold the chain's lock); a failure
   * goes to `onError`. `settled()` waits for those under way.
   */
  recordApart(
    em: EntityManager,
    event: {
      actor: string;
      organisationId: string | null;
      action: A | typeof TENANCY_REFUSED;
      subject: string;
    },
    onError: (err: unknown) => void,
  ): void {
    const write = insertAuditEvent(
      em.fork({ disableContextResolution: true }),
      this.options,
      event.organisationId,
      event.actor,
      event.action,
      event.subject,
      { outsideTransaction: true },
    ).catch(onError);
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Resolves when every `recordApart` under way has been written (or has failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /**
   * Records every tenancy refusal of the kit's access checks (a person asking for an
   * organisation they do not belong to) as `TENANCY_REFUSED` on the organisation asked for, with
   * `recordApart` on `root` (the process's EntityManager). One listener per process: the last
   * installed wins. Returns the uninstaller.
   */
  watchTenancy(root: EntityManager, logger: Pick<Logger, 'error'>): () => void {
    return onTenancyRefusal((refusal: TenancyRefusal) => {
      this.recordApart(
        root,
        {
          actor: actorOf(refusal.caller),
          organisationId: refusal.organisationId,
          action: TENANCY_REFUSED,
          subject: `${refusal.check}:${refusal.organisationId}`,
        },
        (err) => logger.error({ err }, 'audit: a tenancy refusal could not be recorded'),
      );
    });
  }

  /**
   * Events newest first, with filters. A MANAGER of the Comune (or a platform admin) reads that
   * organisation's events; only a platform admin reads every event. FORBIDDEN for anyone else,
   * BAD_USER_INPUT (with fields) for a bad filter.
   */
  async list(em: EntityManager, caller: Caller, query: AuditQuery): Promise<AuditPage> {
    const organisationId = query.organisationId ?? null;
    if (organisationId === null) requirePlatformAdmin(caller);
    else requireComuneManager(caller, organisationId);
    const errors = new FieldErrors();
    const first = query.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX) {
      errors.add('first', `Da 1 a ${PAGE_MAX}.`, `From 1 to ${PAGE_MAX}.`);
    }
    const after = query.after ?? null;
    if (after !== null && !/^[0-9]{1,18}$/.test(after)) {
      errors.add('after', 'Cursore non valido.', 'Invalid cursor.');
    }
    for (const field of ['action', 'actor', 'subject'] as const) {
      const value = query[field];
      if (value != null && value.length > TEXT_MAX) {
        errors.add(field, `Al massimo ${TEXT_MAX} caratteri.`, `At most ${TEXT_MAX} characters.`);
      }
    }
    if (query.from && query.to && query.from > query.to) {
      errors.add('to', 'La fine precede l’inizio.', 'The end comes before the start.');
    }
    errors.throwIfAny();
    const rows = await readAuditEvents(em, this.options, {
      organisationId,
      from: query.from ?? null,
      to: query.to ?? null,
      action: emptyToNull(query.action),
      actor: emptyToNull(query.actor),
      subject: emptyToNull(query.subject),
      before: after,
      limit: first + 1,
    });
    const events = rows.slice(0, first).map(toEntry);
    return {
      events,
      nextCursor: rows.length > first ? String(events[events.length - 1]!.seq) : null,
    };
  }

  /**
   * Recomputes the whole chain in order, in batches (memory stays flat however long the log):
   * `brokenAt` names the first row whose link or hash does not match.
   */
  async verifyChain(em: EntityManager): Promise<ChainCheck> {
    let previous = GENESIS;
    let afterSeq = '0';
    let rows = 0;
    for (;;) {
      const batch = await readChainBatch(em, this.options, afterSeq, VERIFY_BATCH);
      for (const row of batch) {
        rows += 1;
        const content = [
          previous,
          row.seq,
          row.tenant ?? '',
          row.actor,
          row.action,
          row.subject,
          row.at_text,
        ];
        const expected = createHash('sha256').update(content.join('|'), 'utf8').digest('hex');
        if (row.prev_hash !== previous || row.hash !== expected) {
          return { rows, brokenAt: Number(row.seq) };
        }
        previous = row.hash;
      }
      if (batch.length < VERIFY_BATCH) return { rows, brokenAt: undefined };
      afterSeq = batch[batch.length - 1]!.seq;
    }
  }

  /** Verifies the chain and stores the result (the scheduled check). */
  async checkAndStore(em: EntityManager): Promise<ChainStatus> {
    const check = await this.verifyChain(em);
    const status = { checkedAt: new Date(), rows: check.rows, brokenAt: check.brokenAt ?? null };
    await storeChainCheck(em, this.options, status);
    return status;
  }

  /** Platform admins: the latest stored verification, null before the first. */
  async status(em: EntityManager, caller: Caller): Promise<ChainStatus | null> {
    requirePlatformAdmin(caller);
    return readChainCheck(em, this.options);
  }
}

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    organisationId: row.tenant,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    at: new Date(row.at),
  };
}

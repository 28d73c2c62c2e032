import { createHash } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
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
  readLastSealed,
  readStaleUnsealed,
  readUnsealed,
  storeChainCheck,
  tryLockChain,
  writeSeals,
  type AuditEventFilter,
  type AuditRow,
  type ChainContent,
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
  /** Sealed rows checked (unsealed rows are not part of the chain yet). */
  rows: number;
  /**
   * `seq` of the first sealed row whose hash or link does not match, or before which a number is
   * missing that the sealer did not record as skipped, if any.
   */
  brokenAt: number | undefined;
}

/** The latest stored verification. */
export interface ChainStatus {
  checkedAt: Date;
  rows: number;
  brokenAt: number | null;
  /** The lowest `seq` still unsealed after the alert limit (null: none): an alert too. */
  unsealedFrom: number | null;
  /** How many rows are unsealed after the alert limit. */
  unsealedRows: number;
}

/** What a sealing pass did. */
export interface SealPass {
  /** Rows sealed. */
  sealed: number;
  /** Sequence numbers skipped (inserts rolled back, older than the grace period). */
  skipped: number;
  /** True when the pass stopped at its batch size (more rows may be waiting). */
  more: boolean;
}

/**
 * How long a missing `seq` may still be a transaction under way (default 30 s): the sealer
 * stops before it until the row after it is older than this, then skips it.
 */
export const DEFAULT_SEAL_GRACE_MS = 30_000;
/** How old an unsealed row may be before the verification reports it (default 5 min). */
export const DEFAULT_UNSEALED_ALERT_MS = 300_000;

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
const SEAL_BATCH = 1_000;
const PAGE_MAX = 500;
const TEXT_MAX = 200;

/**
 * A subgraph's append-only, hash-chained audit log (its own `audit_event` table, created by
 * `auditLogSql`). Appending takes no lock (the row is unsealed); `seal`, run in the background by
 * `auditSealer`, chains the committed rows in `seq` order. The database refuses UPDATE (but a
 * row's one seal), DELETE and TRUNCATE; this service appends, seals, reads (tenancy checked) and
 * verifies.
 */
export class AuditLog<A extends string = string> {
  private readonly pending = new Set<Promise<void>>();

  constructor(readonly options: AuditLogOptions) {}

  /**
   * Appends one event in the EntityManager's transaction, if any (it rolls back with it). No
   * lock: concurrent transactions append at once; the row is sealed into the chain after its
   * commit (`seal`). Record just before the commit all the same: a transaction still open
   * longer than the sealer's grace period after its append is sealed past, and its row then
   * stays unsealed (an alert). `actor`: see `actorOf`; `organisationId`: the tenant, null for
   * a platform-level event.
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
   * Not awaited by the request (it must not wait for a second connection while holding its
   * own); a failure goes to `onError`. `settled()` waits for those under way.
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
   * One sealing pass, in one short transaction under the chain's advisory lock (skipped when
   * another process holds it): seals the committed unsealed rows after the last sealed one, in
   * `seq` order, up to a batch. A missing `seq` may be an insert still under way (the sequence
   * hands numbers out before the commit), so the pass stops at the first one unless the row after
   * it is older than `graceMs` (then the insert rolled back: the number is recorded as skipped).
   */
  async seal(em: EntityManager, graceMs: number = DEFAULT_SEAL_GRACE_MS): Promise<SealPass> {
    return em.fork().transactional(async (tx) => {
      if (!(await tryLockChain(tx, this.options))) return { sealed: 0, skipped: 0, more: false };
      const last = await readLastSealed(tx, this.options);
      let previous = last?.hash ?? GENESIS;
      let expected = BigInt(last?.seq ?? '0') + 1n;
      const rows = await readUnsealed(tx, this.options, String(expected - 1n), graceMs, SEAL_BATCH);
      const seals: { seq: string; prevHash: string; hash: string }[] = [];
      const gaps: string[] = [];
      for (const row of rows) {
        const seq = BigInt(row.seq);
        if (seq > expected) {
          if (!row.settled) break;
          for (let missing = expected; missing < seq; missing += 1n) gaps.push(String(missing));
        }
        const hash = chainHash(previous, row);
        seals.push({ seq: row.seq, prevHash: previous, hash });
        previous = hash;
        expected = seq + 1n;
      }
      await writeSeals(tx, this.options, seals, gaps);
      return {
        sealed: seals.length,
        skipped: gaps.length,
        more: rows.length === SEAL_BATCH && seals.length === rows.length,
      };
    });
  }

  /**
   * Recomputes the sealed chain in order, in batches (memory stays flat however long the log):
   * `brokenAt` names the first sealed row whose link or hash does not match, or before which a
   * number is missing that the sealer did not record as skipped. Unsealed rows are not in the
   * chain yet (see `checkAndStore` for those left unsealed too long). Reads one snapshot (a
   * REPEATABLE READ transaction of its own unless `em` is in one).
   */
  async verifyChain(em: EntityManager): Promise<ChainCheck> {
    // One snapshot: a row read unsealed must not be sealed under the batches that follow.
    if (!em.isInTransaction()) {
      return em.fork().transactional((view) => this.verifyChain(view), {
        readOnly: true,
        isolationLevel: IsolationLevel.REPEATABLE_READ,
      });
    }
    let previous = GENESIS;
    let afterSeq = '0';
    let rows = 0;
    for (;;) {
      const batch = await readChainBatch(em, this.options, afterSeq, VERIFY_BATCH);
      for (const row of batch) {
        // Not sealed yet: not in the chain (but present, so no missing number either).
        if (row.hash === null || row.prev_hash === null) continue;
        rows += 1;
        const missing = BigInt(row.seq) - BigInt(row.prev_seq) - 1n;
        const linked = row.prev_hash === previous && row.hash === chainHash(previous, row);
        if (!linked || BigInt(row.gaps) < missing) {
          return { rows, brokenAt: Number(row.seq) };
        }
        previous = row.hash;
      }
      if (batch.length < VERIFY_BATCH) return { rows, brokenAt: undefined };
      afterSeq = batch[batch.length - 1]!.seq;
    }
  }

  /**
   * Verifies the chain, looks for rows left unsealed longer than `unsealedAlertMs`, and stores
   * the result (the scheduled check).
   */
  async checkAndStore(
    em: EntityManager,
    unsealedAlertMs: number = DEFAULT_UNSEALED_ALERT_MS,
  ): Promise<ChainStatus> {
    const check = await this.verifyChain(em);
    const stale = await readStaleUnsealed(em, this.options, unsealedAlertMs);
    const status: ChainStatus = {
      checkedAt: new Date(),
      rows: check.rows,
      brokenAt: check.brokenAt ?? null,
      unsealedFrom: stale.from,
      unsealedRows: stale.rows,
    };
    await storeChainCheck(em, this.options, status);
    return status;
  }

  /** Platform admins: the latest stored verification, null before the first. */
  async status(em: EntityManager, caller: Caller): Promise<ChainStatus | null> {
    requirePlatformAdmin(caller);
    return readChainCheck(em, this.options);
  }
}

/** The chain's formula (see `auditLogSql`): never change it. */
function chainHash(previous: string, row: ChainContent): string {
  const content = [
    previous,
    row.seq,
    row.tenant ?? '',
    row.actor,
    row.action,
    row.subject,
    row.at_text,
  ];
  return createHash('sha256').update(content.join('|'), 'utf8').digest('hex');
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

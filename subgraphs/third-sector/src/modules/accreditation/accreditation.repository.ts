import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { AccreditationAnswer } from './accreditation-answer.entity.js';
import { AccreditationDocument } from './accreditation-document.entity.js';
import { AccreditationEvent } from './accreditation-event.entity.js';
import { AccreditationRequest } from './accreditation-request.entity.js';
import type { AccreditationStatus } from './accreditation.enums.js';

/** A provider effectively accredited by a Comune. */
export interface AccreditedProviderRow {
  providerId: string;
  comuneId: string;
  accreditationId: string;
  validUntil: string;
  decidedAt: Date;
}

const STANDING = { $in: ['ACCREDITED', 'SUSPENDED'] as AccreditationStatus[] };

/** A request by id (null for a malformed id). */
export async function findRequest(
  em: EntityManager,
  id: string,
): Promise<AccreditationRequest | null> {
  return isUuid(id) ? em.findOne(AccreditationRequest, { id }) : null;
}

/** A request under its row lock (null for a malformed id or when missing). */
export async function lockRequest(
  tx: EntityManager,
  id: string,
): Promise<AccreditationRequest | null> {
  return isUuid(id)
    ? tx.findOne(AccreditationRequest, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
}

/** The pair's standing accreditation (ACCREDITED or SUSPENDED), if any; `lock` locks its row. */
export function findStanding(
  em: EntityManager,
  providerId: string,
  comuneId: string,
  lock = false,
): Promise<AccreditationRequest | null> {
  return em.findOne(
    AccreditationRequest,
    { providerId, comuneId, status: STANDING },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
}

/** Marks an accreditation SUPERSEDED (a renewal of the pair is being accredited). */
export async function markSuperseded(
  tx: EntityManager,
  previous: AccreditationRequest,
  at: Date,
): Promise<void> {
  await tx.nativeUpdate(
    AccreditationRequest,
    { id: previous.id },
    { status: 'SUPERSEDED', version: previous.version + 1, updatedAt: at },
  );
}

/** The provider's requests, newest first (200 at most). */
export function findRequestsOfProvider(
  em: EntityManager,
  providerId: string,
): Promise<AccreditationRequest[]> {
  return em.find(
    AccreditationRequest,
    { providerId },
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 200 },
  );
}

/** A page of a Comune's requests in some statuses, oldest submission first, and their count. */
export async function findQueue(
  em: EntityManager,
  where: { comuneId: string; statuses: AccreditationStatus[]; providerId: string | null },
  page: { first: number; offset: number },
): Promise<{ items: AccreditationRequest[]; totalCount: number }> {
  const [items, totalCount] = await em.findAndCount(
    AccreditationRequest,
    {
      comuneId: where.comuneId,
      status: { $in: where.statuses },
      ...(where.providerId ? { providerId: where.providerId } : {}),
    },
    { orderBy: { submittedAt: 'asc', id: 'asc' }, limit: page.first, offset: page.offset },
  );
  return { items, totalCount };
}

/** A request's answers. */
export function findAnswers(em: EntityManager, requestId: string): Promise<AccreditationAnswer[]> {
  return em.find(AccreditationAnswer, { requestId });
}

/** A request's answer to one item, if any. */
export function findAnswer(
  tx: EntityManager,
  requestId: string,
  requirementId: string,
): Promise<AccreditationAnswer | null> {
  return tx.findOne(AccreditationAnswer, { requestId, requirementId });
}

/** The items a request has a document for. */
export async function findDocumentedRequirementIds(
  tx: EntityManager,
  requestId: string,
): Promise<Set<string>> {
  const rows = await tx
    .getConnection()
    .execute<{ requirement_id: string }[]>(
      `select distinct requirement_id from "third_sector"."accreditation_document" where request_id = ?`,
      [requestId],
    );
  return new Set(rows.map((d) => d.requirement_id));
}

/** Deletes a request's documents for one item (a draft's new file replaces them). */
export async function deleteDocuments(
  tx: EntityManager,
  requestId: string,
  requirementId: string,
): Promise<void> {
  await tx.nativeDelete(AccreditationDocument, { requestId, requirementId });
}

/** A request's documents, oldest first (without their content). */
export function findDocuments(
  em: EntityManager,
  requestId: string,
): Promise<AccreditationDocument[]> {
  return em.find(
    AccreditationDocument,
    { requestId },
    { orderBy: { uploadedAt: 'asc', id: 'asc' } },
  );
}

/** A document with its content (null for a malformed id). */
export async function findDocumentWithContent(
  em: EntityManager,
  id: string,
): Promise<AccreditationDocument | null> {
  if (!isUuid(id)) return null;
  return em.findOne(AccreditationDocument, { id }, { populate: ['content'] });
}

/** A request's history, oldest first. */
export function findHistory(em: EntityManager, requestId: string): Promise<AccreditationEvent[]> {
  return em.find(AccreditationEvent, { requestId }, { orderBy: { id: 'asc' } });
}

/**
 * True when the provider has an ACCREDITED accreditation with the Comune expiring on `day`
 * (`yyyy-mm-dd`) or later. One indexed SQL probe.
 */
export async function isAccreditedOn(
  em: EntityManager,
  providerId: string,
  comuneId: string,
  day: string,
): Promise<boolean> {
  const rows = await em.getConnection().execute<{ ok: boolean }[]>(
    `select exists (select 1 from "third_sector"."accreditation_request"
      where provider_id = ? and comune_id = ? and status = 'ACCREDITED' and valid_until >= ?::date) as ok`,
    [providerId, comuneId, day],
  );
  return rows[0]?.ok === true;
}

/** The providers ACCREDITED until `day` or later, of one Comune or all, by Comune then provider. */
export async function findAccreditedProviders(
  em: EntityManager,
  comuneId: string | null,
  day: string,
): Promise<AccreditedProviderRow[]> {
  const rows = await em.getConnection().execute<
    {
      id: string;
      provider_id: string;
      comune_id: string;
      valid_until: string | Date;
      decided_at: Date;
    }[]
  >(
    `select id, provider_id, comune_id, to_char(valid_until, 'YYYY-MM-DD') as valid_until, decided_at
       from "third_sector"."accreditation_request"
      where status = 'ACCREDITED' and valid_until >= ?::date
        and (?::uuid is null or comune_id = ?::uuid)
      order by comune_id, provider_id`,
    [day, comuneId, comuneId],
  );
  return rows.map((r) => ({
    accreditationId: r.id,
    providerId: r.provider_id,
    comuneId: r.comune_id,
    validUntil: String(r.valid_until),
    decidedAt: new Date(r.decided_at),
  }));
}

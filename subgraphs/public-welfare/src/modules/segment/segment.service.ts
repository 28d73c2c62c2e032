import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { renderEach } from '../messages/templates.js';
import {
  hasIncomeCriteria,
  validateHouseholdFilter,
  type HouseholdFilterData,
} from '../household/household.service.js';
import { actorOf, isUuid, requireComuneStaff } from '@welfare/kit/access';
import { Segment } from './segment.entity.js';
import { insertInvitations, segmentHouseholdCount } from './segment.repository.js';

export const MAX_SEGMENT_NAME = 120;

const FILTER_KEYS = [
  'iseeMax',
  'iseeType',
  'minSize',
  'maxSize',
  'hasMinors',
  'hasElderly',
  'hasDisability',
  'receivesPublicSupport',
] as const satisfies readonly (keyof HouseholdFilterData)[];

export interface SaveSegmentData {
  comuneId: string;
  name: string;
  filter: HouseholdFilterData;
}

/** Saved household filters of a Comune. Same tenancy as the registry (staff of the Comune). */
export class SegmentService {
  constructor(private readonly audit: AuditService) {}

  /** The Comune's segments by name. */
  async list(em: EntityManager, caller: Caller, comuneId: string): Promise<Segment[]> {
    requireComuneStaff(caller, comuneId);
    return em.find(Segment, { comuneId }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /**
   * Saves a new segment. BAD_USER_INPUT (nothing written) for an empty or too long name, a name
   * the Comune already uses (field `name`) or invalid filter values (fields `filter.*`).
   */
  async save(em: EntityManager, caller: Caller, input: SaveSegmentData): Promise<Segment> {
    const person = requireComuneStaff(caller, input.comuneId);
    const name = input.name.trim();
    const filter = normaliseFilter(input.filter);
    const errors = new FieldErrors();
    if (!name) errors.add('name', 'Indicare un nome.', 'Enter a name.');
    else if ([...name].length > MAX_SEGMENT_NAME)
      errors.add(
        'name',
        `Al massimo ${MAX_SEGMENT_NAME} caratteri.`,
        `At most ${MAX_SEGMENT_NAME} characters.`,
      );
    validateHouseholdFilter(filter, errors, 'filter.');
    if (!errors.any && (await em.count(Segment, { comuneId: input.comuneId, name })) > 0) {
      duplicate(errors);
    }
    errors.throwIfAny();
    const segment = em.create(Segment, {
      comuneId: input.comuneId,
      name,
      filter,
      createdBy: person.personId,
    });
    try {
      await em.flush();
    } catch (err) {
      // Saved concurrently under the same name.
      if (err instanceof UniqueConstraintViolationException) {
        em.clear();
        duplicate(new FieldErrors()).throwIfAny();
      }
      throw err;
    }
    return segment;
  }

  /** Deletes a segment: false when there is none with that id; FORBIDDEN for another Comune's. */
  async delete(em: EntityManager, caller: Caller, id: string): Promise<boolean> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(id)) return false;
    const segment = await em.findOne(Segment, { id });
    if (!segment) return false;
    requireComuneStaff(caller, segment.comuneId);
    await em.nativeDelete(Segment, { id });
    return true;
  }

  /**
   * Invites every household of the segment to apply to a campaign: one PORTAL message to the head
   * of each household (found by codice fiscale when they log in with SPID/CIE), written in one
   * statement. Idempotent per campaign and household. The campaign must be PUBLISHED, of the same
   * Comune and accepting applications (CONFLICT otherwise).
   */
  async invite(
    em: EntityManager,
    caller: Caller,
    segmentId: string,
    campaignId: string,
  ): Promise<InvitationResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const segment = isUuid(segmentId) ? await em.findOne(Segment, { id: segmentId }) : null;
    if (!segment)
      throw DomainError.notFound({ it: 'Segmento non trovato.', en: 'Segment not found.' });
    requireComuneStaff(caller, segment.comuneId);
    const campaign = isUuid(campaignId) ? await em.findOne(Campaign, { id: campaignId }) : null;
    if (!campaign || campaign.comuneId !== segment.comuneId) {
      throw DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });
    }
    const now = Date.now();
    if (
      campaign.status !== 'PUBLISHED' ||
      campaign.applicationsOpenAt.getTime() > now ||
      campaign.applicationsCloseAt.getTime() <= now
    ) {
      throw new DomainError('CONFLICT', {
        it: 'Si può invitare solo a una misura pubblicata e aperta alle domande.',
        en: 'Invitations are only for a published campaign open to applications.',
      });
    }
    const rendered = renderEach('INVITATION', {
      campaignTitle: campaign.title,
      campaignPath: `/misure/${campaign.id}`,
      closesAt: campaign.applicationsCloseAt,
    });
    return em.transactional(async (tx) => {
      const households = await segmentHouseholdCount(tx, segment.comuneId, segment.filter);
      const rows = await insertInvitations(tx, segment.comuneId, segment.filter, {
        campaignId: campaign.id,
        rendered,
      });
      if (hasIncomeCriteria(segment.filter)) {
        await this.audit.record(
          tx,
          actorOf(caller),
          segment.comuneId,
          'SEARCH_INCOME',
          `segment:${segment.id}`,
        );
      }
      return { households, invited: rows.length };
    });
  }

  /**
   * How many households match the segment now (the households query's SQL). A count by income
   * criteria is a search by income: it writes SEARCH_INCOME (subject `segment:<id>`).
   */
  async householdCount(em: EntityManager, caller: Caller, segment: Segment): Promise<number> {
    requireComuneStaff(caller, segment.comuneId);
    const count = await segmentHouseholdCount(em, segment.comuneId, segment.filter);
    if (hasIncomeCriteria(segment.filter)) {
      await this.audit.record(
        em,
        actorOf(caller),
        segment.comuneId,
        'SEARCH_INCOME',
        `segment:${segment.id}`,
      );
    }
    return count;
  }
}

/** What an invitation did. */
export interface InvitationResult {
  /** Households of the segment now. */
  households: number;
  /** Messages written now (households invited before to the same campaign are skipped). */
  invited: number;
}

/** Only the given criteria, in a fixed order. */
export function normaliseFilter(filter: HouseholdFilterData): HouseholdFilterData {
  const result: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (filter[key] != null) result[key] = filter[key];
  return result;
}

function duplicate(errors: FieldErrors): FieldErrors {
  return errors.add(
    'name',
    'Esiste già un segmento con questo nome.',
    'A segment with this name already exists.',
  );
}

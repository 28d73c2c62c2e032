import type { EntityManager } from '@mikro-orm/postgresql';
import {
  HOUSEHOLDS_FROM,
  countHouseholds,
  householdFilterWhere,
  type HouseholdFilterData,
} from '../household/household.repository.js';

/* The segments' statements over the registry (the entity's own reads and writes go through MikroORM). */

/** How many of the Comune's households match the segment's filter now. */
export function segmentHouseholdCount(
  em: EntityManager,
  comuneId: string,
  filter: HouseholdFilterData,
): Promise<number> {
  return countHouseholds(em, comuneId, filter);
}

/**
 * Writes one PORTAL INVITATION to the head of each matching household (one statement; skips the
 * households already invited to the campaign); returns the ids of the messages written.
 */
export function insertInvitations(
  tx: EntityManager,
  comuneId: string,
  filter: HouseholdFilterData,
  invitation: { campaignId: string; subject: string; body: string },
): Promise<{ id: string }[]> {
  const { whereSql, params } = householdFilterWhere(comuneId, filter);
  return tx.execute<{ id: string }[]>(
    `insert into "public_welfare"."message"
       ("id", "comune_id", "campaign_id", "template", "channel", "recipient", "subject", "body", "dedupe_key")
     select gen_random_uuid(), h."comune_id", ?::uuid, 'INVITATION', 'PORTAL', hm."fiscal_code_hash", ?, ?,
       'invite:' || ? || ':' || h."id"
     ${HOUSEHOLDS_FROM}
     join "public_welfare"."household_member" hm
       on hm."household_id" = h."id" and hm."relation" = 'INTESTATARIO'
     where ${whereSql}
     on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
     returning "id"`,
    [invitation.campaignId, invitation.subject, invitation.body, invitation.campaignId, ...params],
  );
}

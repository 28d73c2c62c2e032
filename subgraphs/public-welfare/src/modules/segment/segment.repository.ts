import type { EntityManager } from '@mikro-orm/postgresql';
import {
  HOUSEHOLDS_FROM,
  countHouseholds,
  householdFilterWhere,
  type HouseholdFilterData,
} from '../household/household.repository.js';
import type { MessageLanguage, Rendered } from '../messages/templates.js';

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
  invitation: { campaignId: string; rendered: Record<MessageLanguage, Rendered> },
): Promise<{ id: string }[]> {
  const { whereSql, params } = householdFilterWhere(comuneId, filter);
  const { it, en } = invitation.rendered;
  // Each head of household reads the invitation in the language they chose (Italian when none).
  return tx.execute<{ id: string }[]>(
    `insert into "public_welfare"."message"
       ("id", "comune_id", "campaign_id", "template", "channel", "recipient", "subject", "body", "language", "dedupe_key")
     select gen_random_uuid(), h."comune_id", ?::uuid, 'INVITATION', 'PORTAL', hm."fiscal_code_hash",
       case when ml."language" = 'en' then ? else ? end,
       case when ml."language" = 'en' then ? else ? end,
       coalesce(ml."language", 'it'),
       'invite:' || ? || ':' || h."id"
     ${HOUSEHOLDS_FROM}
     join "public_welfare"."household_member" hm
       on hm."household_id" = h."id" and hm."relation" = 'INTESTATARIO'
     left join "public_welfare"."message_language" ml on ml."fiscal_code_hash" = hm."fiscal_code_hash"
     where ${whereSql}
     on conflict ("dedupe_key") where "dedupe_key" is not null do nothing
     returning "id"`,
    [
      invitation.campaignId,
      en.subject,
      it.subject,
      en.body,
      it.body,
      invitation.campaignId,
      ...params,
    ],
  );
}

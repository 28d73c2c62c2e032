import type { EntityManager } from '@mikro-orm/postgresql';
import { EarningRule, type CapPeriod, type EarningKind } from './earning.entity.js';
import {
  renderDescription,
  storedDescription,
  type RewardDescription,
} from './reward-description.js';

const S = '"ies_circuit"';
const ROME = 'Europe/Rome';

/** A reward as stored. */
export interface RewardRow {
  id: string;
  circuitId: string;
  ruleId: string;
  memberId: string;
  memberName: string;
  kind: EarningKind;
  source: string;
  requestedCents: number;
  paidCents: number;
  periodStart: string;
  /** What it was for, in Italian (rendered from the stored code and parameters). */
  description: string;
  /** What it was for, in English. */
  descriptionEn: string;
  createdAt: Date;
}

interface RawReward {
  id: string;
  circuit_id: string;
  rule_id: string;
  member_id: string;
  member_name: string;
  kind: EarningKind;
  source: string;
  requested_cents: number;
  paid_cents: number;
  period_start: string;
  description_code: string;
  description_params: unknown;
  created_at: string | Date;
}

const toReward = (r: RawReward): RewardRow => {
  const amounts = { requestedCents: Number(r.requested_cents), paidCents: Number(r.paid_cents) };
  const text = renderDescription(
    storedDescription(r.description_code, r.description_params),
    amounts,
  );
  return {
    id: r.id,
    circuitId: r.circuit_id,
    ruleId: r.rule_id,
    memberId: r.member_id,
    memberName: r.member_name,
    kind: r.kind,
    source: r.source,
    ...amounts,
    periodStart: r.period_start,
    description: text.it,
    descriptionEn: text.en,
    createdAt: new Date(r.created_at),
  };
};

const REWARD_COLUMNS = `r.id, r.circuit_id, r.rule_id, r.member_id, m.display_name as member_name, r.kind,
  r.source, r.requested_cents, r.paid_cents, to_char(r.period_start, 'YYYY-MM-DD') as period_start,
  r.description_code, r.description_params, r.created_at`;

/** The SQL `date_trunc` unit of a cap period. */
const TRUNC: Record<CapPeriod, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month', YEAR: 'year' };

/** Reads and writes of rules, rewards, counters, shifts, links and the feed's cursor. */
export class EarningRepository {
  rule(em: EntityManager, id: string): Promise<EarningRule | null> {
    return em.findOne(EarningRule, { id });
  }

  rules(em: EntityManager, circuitId: string): Promise<EarningRule[]> {
    return em.find(EarningRule, { circuitId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The active rules of a kind in force on `day` (a day in Italy), oldest first. */
  inForce(
    em: EntityManager,
    circuitId: string,
    kind: EarningKind,
    day: string,
  ): Promise<EarningRule[]> {
    return em.find(
      EarningRule,
      {
        circuitId,
        kind,
        active: true,
        startsOn: { $lte: day },
        $or: [{ endsOn: null }, { endsOn: { $gte: day } }],
      },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** The first day of the cap period holding `at`, in Italy. */
  async periodStart(em: EntityManager, period: CapPeriod, at: Date): Promise<string> {
    const [row] = await em.execute<{ day: string }[]>(
      `select to_char(date_trunc('${TRUNC[period]}', (?::timestamptz at time zone '${ROME}')), 'YYYY-MM-DD') as day`,
      [at.toISOString()],
    );
    return row!.day;
  }

  /**
   * Claims a reward's source: inserts the reward (paid nothing yet) unless the source already has
   * one. A concurrent claim of the same source waits on the unique key and then finds it taken.
   * True when this call claimed it.
   */
  async claimSource(
    tx: EntityManager,
    reward: {
      id: string;
      circuitId: string;
      ruleId: string;
      memberId: string;
      kind: EarningKind;
      source: string;
      requestedCents: number;
      periodStart: string;
      description: RewardDescription;
    },
  ): Promise<boolean> {
    const rows = await tx.execute<{ id: string }[]>(
      `insert into ${S}."reward" ("id", "circuit_id", "rule_id", "member_id", "kind", "source",
         "requested_cents", "paid_cents", "period_start", "description_code", "description_params")
       values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?::jsonb)
       on conflict ("circuit_id", "source") do nothing returning "id"`,
      [
        reward.id,
        reward.circuitId,
        reward.ruleId,
        reward.memberId,
        reward.kind,
        reward.source,
        reward.requestedCents,
        reward.periodStart,
        reward.description.code,
        JSON.stringify(reward.description.params),
      ],
    );
    return rows.length === 1;
  }

  /**
   * What the member has earned with the rule in the period, read with the counter's row locked
   * (created at 0 first): concurrent rewards of the same member, rule and period wait here.
   */
  async lockCounter(
    tx: EntityManager,
    memberId: string,
    ruleId: string,
    periodStart: string,
  ): Promise<number> {
    await tx.execute(
      `insert into ${S}."earning_counter" ("member_id", "rule_id", "period_start", "earned_cents")
       values (?, ?, ?, 0) on conflict do nothing`,
      [memberId, ruleId, periodStart],
    );
    const [row] = await tx.execute<{ earned_cents: number }[]>(
      `select "earned_cents" from ${S}."earning_counter"
        where "member_id" = ? and "rule_id" = ? and "period_start" = ? for update`,
      [memberId, ruleId, periodStart],
    );
    return Number(row!.earned_cents);
  }

  /** Adds `cents` to the counter (locked by `lockCounter`) and to the reward's paid amount. */
  async recordPaid(
    tx: EntityManager,
    rewardId: string,
    memberId: string,
    ruleId: string,
    periodStart: string,
    cents: number,
  ): Promise<void> {
    await tx.execute(
      `update ${S}."earning_counter" set "earned_cents" = "earned_cents" + ?
        where "member_id" = ? and "rule_id" = ? and "period_start" = ?`,
      [cents, memberId, ruleId, periodStart],
    );
    await tx.execute(`update ${S}."reward" set "paid_cents" = ? where "id" = ?`, [cents, rewardId]);
  }

  /** What a member earned per rule in the periods holding `at` (rule id → cents). */
  async earnedNow(
    em: EntityManager,
    memberId: string,
    rules: readonly EarningRule[],
    at: Date,
  ): Promise<Map<string, number>> {
    const earned = new Map<string, number>();
    for (const rule of rules) {
      const period = await this.periodStart(em, rule.capPeriod, at);
      const [row] = await em.execute<{ earned_cents: number }[]>(
        `select "earned_cents" from ${S}."earning_counter"
          where "member_id" = ? and "rule_id" = ? and "period_start" = ?`,
        [memberId, rule.id, period],
      );
      earned.set(rule.id, Number(row?.earned_cents ?? 0));
    }
    return earned;
  }

  async rewardById(em: EntityManager, id: string): Promise<RewardRow | null> {
    const rows = await em.execute<RawReward[]>(
      `select ${REWARD_COLUMNS} from ${S}."reward" r join ${S}."member" m on m.id = r.member_id
        where r.id = ?`,
      [id],
    );
    return rows[0] ? toReward(rows[0]) : null;
  }

  /** The rewards of a member, or of a whole circuit, newest first (`limit` at most). */
  async rewards(
    em: EntityManager,
    where: { memberId: string } | { circuitId: string },
    limit: number,
  ): Promise<RewardRow[]> {
    const [column, value] =
      'memberId' in where ? ['member_id', where.memberId] : ['circuit_id', where.circuitId];
    const rows = await em.execute<RawReward[]>(
      `select ${REWARD_COLUMNS} from ${S}."reward" r join ${S}."member" m on m.id = r.member_id
        where r."${column}" = ? order by r.created_at desc, r.id limit ${limit}`,
      [value],
    );
    return rows.map(toReward);
  }

  /** Inserts a confirmed shift; false when that volunteer's shift with the organisation that day exists. */
  async insertShift(
    tx: EntityManager,
    shift: {
      id: string;
      circuitId: string;
      organisationMemberId: string;
      memberId: string;
      day: string;
      minutes: number;
      description: string;
      confirmedBy: string;
    },
  ): Promise<boolean> {
    const rows = await tx.execute<{ id: string }[]>(
      `insert into ${S}."volunteer_shift" ("id", "circuit_id", "organisation_member_id", "member_id",
         "day", "minutes", "description", "confirmed_by")
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning "id"`,
      [
        shift.id,
        shift.circuitId,
        shift.organisationMemberId,
        shift.memberId,
        shift.day,
        shift.minutes,
        shift.description,
        shift.confirmedBy,
      ],
    );
    return rows.length === 1;
  }

  /** The feed's cursor (null before the first read). */
  async cursor(em: EntityManager, name: string): Promise<string | null> {
    const [row] = await em.execute<{ position: string }[]>(
      `select "position" from ${S}."earning_cursor" where "name" = ?`,
      [name],
    );
    return row?.position ?? null;
  }

  async saveCursor(em: EntityManager, name: string, position: string): Promise<void> {
    await em.execute(
      `insert into ${S}."earning_cursor" ("name", "position") values (?, ?)
       on conflict ("name") do update set "position" = excluded."position", "updated_at" = now()`,
      [name, position],
    );
  }
}

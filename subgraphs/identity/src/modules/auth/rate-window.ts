import type { EntityManager } from '@mikro-orm/postgresql';

interface WindowRow {
  refused: boolean;
  retry_after: number | string;
}

const T = '"identity"."rate_window"';

/**
 * Fixed-window counters in the database (`rate_window`, one row per bucket): a window starts at
 * its first hit and lasts `minutes`; at most `max` hits are allowed in it. `hit` is one atomic
 * `insert … on conflict do update … returning` statement, so concurrent requests cannot all slip
 * under the limit; a refused hit is not counted. Buckets are named `<purpose>:<key>`.
 */
export class RateWindows {
  /** Counts one hit unless the bucket is full; says whether it was allowed and when it frees up. */
  async hit(
    em: EntityManager,
    bucket: string,
    max: number,
    minutes: number,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const expired = `t."window_start" <= now() - make_interval(mins => ${minutes})`;
    const full = `(not ${expired} and t."hits" >= ${max})`;
    const rows = await em.getConnection().execute<WindowRow[]>(
      `insert into ${T} as t ("bucket", "window_start", "hits", "refused")
       values (?, now(), 1, false)
       on conflict ("bucket") do update set
         "refused" = ${full},
         "hits" = case when ${expired} then 1 when ${full} then t."hits" else t."hits" + 1 end,
         "window_start" = case when ${expired} then now() else t."window_start" end
       returning "refused",
         ceil(extract(epoch from ("window_start" + make_interval(mins => ${minutes}) - now())))::int
           as retry_after`,
      [bucket],
    );
    const row = rows[0];
    return {
      allowed: !row?.refused,
      retryAfterSeconds: Math.max(1, Number(row?.retry_after ?? 1)),
    };
  }

  /** Gives one hit back (a login that succeeded is not a failure). */
  async giveBack(em: EntityManager, bucket: string): Promise<void> {
    await em
      .getConnection()
      .execute(`update ${T} set "hits" = greatest("hits" - 1, 0) where "bucket" = ?`, [bucket]);
  }
}

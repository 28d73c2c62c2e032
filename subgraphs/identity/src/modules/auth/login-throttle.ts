import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';

/** Failures allowed for one email within the window. */
export const MAX_FAILURES = 10;
/** The window, in minutes, starting at the first failure. */
export const WINDOW_MINUTES = 15;

interface ThrottleRow {
  failures: number;
  retry_after: number | string;
}

/**
 * Counts failed logins per email in the database, atomically and safely under concurrency: each
 * attempt first reserves a failure with one `insert ... on conflict do update ... returning`
 * statement (so concurrent attempts cannot all slip under the limit), and a successful attempt
 * gives its reservation back. Beyond 10 failures in 15 minutes every attempt is refused with
 * RATE_LIMITED, even with the right password, until the window ends.
 * Run it on an EntityManager outside any transaction the attempt may roll back.
 */
export class LoginThrottleService {
  /** Reserves one attempt for `emailHash`; throws RATE_LIMITED when over the limit. */
  async reserve(em: EntityManager, emailHash: string): Promise<void> {
    const rows = await em.getConnection().execute<ThrottleRow[]>(
      `insert into "identity"."login_throttle" as t ("email_hash", "window_start", "failures")
       values (?, now(), 1)
       on conflict ("email_hash") do update set
         "failures" = case when t."window_start" <= now() - make_interval(mins => ?)
                           then 1 else t."failures" + 1 end,
         "window_start" = case when t."window_start" <= now() - make_interval(mins => ?)
                               then now() else t."window_start" end
       returning "failures",
         ceil(extract(epoch from ("window_start" + make_interval(mins => ?) - now())))::int as retry_after`,
      [emailHash, WINDOW_MINUTES, WINDOW_MINUTES, WINDOW_MINUTES],
    );
    const row = rows[0];
    if (row && row.failures > MAX_FAILURES) {
      throw new DomainError('RATE_LIMITED', undefined, {
        retryAfterSeconds: Math.max(1, Number(row.retry_after)),
      });
    }
  }

  /** Gives back the reservation of a successful attempt. */
  async release(em: EntityManager, emailHash: string): Promise<void> {
    await em
      .getConnection()
      .execute(
        `update "identity"."login_throttle" set "failures" = greatest("failures" - 1, 0) where "email_hash" = ?`,
        [emailHash],
      );
  }
}

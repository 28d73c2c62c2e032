import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '@welfare/kit';
import { RateWindows } from './rate-window.js';

/** The login limits (identity's config.ts, where each has its source). */
export interface LoginLimits {
  /** Failures of one account from one address before the exponential wait starts. */
  freeFailures: number;
  /** The first wait, in seconds; doubled by each further failure. */
  backoffBaseSeconds: number;
  /** The longest wait, in seconds. */
  backoffMaxSeconds: number;
  /** A pair's failures are forgotten after this many minutes without a new one. */
  failureMemoryMinutes: number;
  /** Failures of one account from all addresses after which its logins are slowed (never refused). */
  accountSlowAfter: number;
  /** That slow-down, in milliseconds. */
  accountDelayMs: number;
  /** Failures from one address across every account within the window before it is refused. */
  addressMaxFailures: number;
  /** That window, in minutes. */
  addressWindowMinutes: number;
}

/** Whose attempt: a keyed hash of the account's e-mail, and the client's address. */
export interface LoginAttempt {
  account: string;
  address: string;
}

/** The bucket of requests whose client address identity was not told (one, shared). */
export const UNKNOWN_ADDRESS = 'unknown';

interface PairRow {
  failures: number;
  refused: boolean;
  retry_after: number | string | null;
}

const PAIR = '"identity"."login_attempt"';

/**
 * Login throttling that slows attackers without locking the owner out (OWASP Authentication Cheat
 * Sheet). Three counters, all in the database and each changed by one atomic statement:
 *
 * - per account **and** client address (`login_attempt`): after `freeFailures` failures every
 *   further failure makes the pair wait `backoffBaseSeconds · 2^k` (at most `backoffMaxSeconds`);
 *   an attempt during the wait is refused RATE_LIMITED (with `retryAfterSeconds`) before any
 *   password is checked, and is not counted. The same account from another address is not
 *   affected, so an attacker cannot lock the owner out.
 * - per account across every address: beyond `accountSlowAfter` recent failures each attempt is
 *   delayed by `accountDelayMs`, never refused.
 * - per address across every account (password spraying): beyond `addressMaxFailures` failures in
 *   a fixed window the address is refused until the window ends.
 *
 * Each attempt first *reserves* a failure (so concurrent attempts cannot all slip under a limit);
 * a successful login gives it back (`succeeded`). Run it on an EntityManager outside any
 * transaction the attempt may roll back.
 */
export class LoginThrottleService {
  private readonly windows = new RateWindows();

  constructor(private readonly limits: LoginLimits) {}

  /** Reserves one failure for the attempt; throws RATE_LIMITED when it must wait. */
  async reserve(em: EntityManager, attempt: LoginAttempt): Promise<void> {
    const spray = await this.windows.hit(
      em,
      `login-address:${attempt.address}`,
      this.limits.addressMaxFailures,
      this.limits.addressWindowMinutes,
    );
    if (!spray.allowed) throw rateLimited(spray.retryAfterSeconds);

    const pair = await this.reservePair(em, attempt);
    if (pair.refused) {
      await this.windows.giveBack(em, `login-address:${attempt.address}`);
      throw rateLimited(Number(pair.retry_after ?? 1));
    }
    if (this.limits.accountDelayMs > 0) {
      const recent = await this.accountFailures(em, attempt.account);
      if (recent > this.limits.accountSlowAfter) await sleep(this.limits.accountDelayMs);
    }
  }

  /** A successful login: the pair's failures are forgotten, the address's reservation given back. */
  async succeeded(em: EntityManager, attempt: LoginAttempt): Promise<void> {
    await em
      .getConnection()
      .execute(`delete from ${PAIR} where "account_key" = ? and "address" = ?`, [
        attempt.account,
        attempt.address,
      ]);
    await this.windows.giveBack(em, `login-address:${attempt.address}`);
  }

  /** Forgets every failure of an account (its password was just reset by its owner). */
  async forgetAccount(em: EntityManager, account: string): Promise<void> {
    await em.getConnection().execute(`delete from ${PAIR} where "account_key" = ?`, [account]);
  }

  /**
   * One statement: a fresh pair (or one whose failures are forgotten) starts at 1; a pair still
   * waiting is left as it is and the attempt refused; otherwise the failure is counted and, past
   * the free ones, the next wait set. Concurrent attempts on one pair queue on its row lock.
   */
  private async reservePair(em: EntityManager, attempt: LoginAttempt): Promise<PairRow> {
    const { freeFailures, backoffBaseSeconds, backoffMaxSeconds, failureMemoryMinutes } =
      this.limits;
    const waitFor = (failures: string) =>
      `case when ${failures} > ${freeFailures}
            then now() + make_interval(secs => least(${backoffMaxSeconds},
                   ${backoffBaseSeconds} * power(2, least(${failures} - ${freeFailures} - 1, 40))))
            else null end`;
    const forgotten = `t."last_failure_at" <= now() - make_interval(mins => ${failureMemoryMinutes})`;
    const waiting = `(t."blocked_until" is not null and t."blocked_until" > now())`;
    const rows = await em.getConnection().execute<PairRow[]>(
      `insert into ${PAIR} as t ("account_key", "address", "failures", "blocked_until", "last_failure_at", "refused")
       values (?, ?, 1, ${waitFor('1')}, now(), false)
       on conflict ("account_key", "address") do update set
         "refused" = not ${forgotten} and ${waiting},
         "failures" = case when ${forgotten} then 1
                           when ${waiting} then t."failures"
                           else t."failures" + 1 end,
         "blocked_until" = case when ${forgotten} then ${waitFor('1')}
                                when ${waiting} then t."blocked_until"
                                else ${waitFor('(t."failures" + 1)')} end,
         "last_failure_at" = case when ${waiting} and not ${forgotten} then t."last_failure_at"
                                  else now() end
       returning "failures", "refused",
         ceil(extract(epoch from ("blocked_until" - now())))::int as retry_after`,
      [attempt.account, attempt.address],
    );
    return rows[0] ?? { failures: 0, refused: false, retry_after: null };
  }

  /** The account's failures from every address that are still remembered. */
  private async accountFailures(em: EntityManager, account: string): Promise<number> {
    const rows = await em.getConnection().execute<{ n: number | string | null }[]>(
      `select coalesce(sum("failures"), 0) as n from ${PAIR}
        where "account_key" = ? and "last_failure_at" > now() - make_interval(mins => ?)`,
      [account, this.limits.failureMemoryMinutes],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function rateLimited(retryAfterSeconds: number): DomainError {
  return new DomainError('RATE_LIMITED', undefined, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  });
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '@welfare/kit/sql';

/** The Stripe events received: each id once (its primary key), with how often it came. */
export class StripeEventRepository {
  /**
   * Records the event; true the first time (then its effect is applied in the same transaction),
   * false for a redelivery (only counted). A concurrent delivery waits on the key and is then a
   * redelivery.
   */
  async record(
    em: EntityManager,
    event: { id: string; type: string; account?: string | undefined },
  ): Promise<boolean> {
    const [row] = await sql<{ first: boolean }>(
      em,
      `insert into "payments"."stripe_event" ("id", "type", "account") values ($1, $2, $3)
       on conflict ("id") do update
         set "deliveries" = "stripe_event"."deliveries" + 1, "last_received_at" = now()
       returning (xmax = 0) as first`,
      [event.id, event.type, event.account ?? null],
    );
    return row?.first === true;
  }
}

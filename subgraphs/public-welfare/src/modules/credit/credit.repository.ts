import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/** A campaign as a card's credit shows it: its title and spending window. */
export interface CreditCampaign {
  id: string;
  title: string;
  spending_from: string;
  spending_until: string;
}

/** The campaigns of these ids, the earliest spending end first. */
export function creditCampaigns(
  em: EntityManager,
  campaignIds: readonly string[],
): Promise<CreditCampaign[]> {
  return em.execute<CreditCampaign[]>(
    `select c.id, c.title, to_char(c.spending_from, 'YYYY-MM-DD') as spending_from,
            to_char(c.spending_until, 'YYYY-MM-DD') as spending_until
       from "public_welfare"."campaign" c where c.id = any(?::uuid[])
      order by c.spending_until, c.id`,
    [arrayLiteral(campaignIds)],
  );
}

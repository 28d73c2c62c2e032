import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/* The monitoring dashboard's statements on the domain tables (the book's side is read through the kit). */

const S = '"public_welfare"';

/** The campaign's people: its credited beneficiaries, those with credit left, its approved applications. */
export interface CampaignPeople {
  beneficiaries_credited: string;
  beneficiaries_with_credit: string;
  committed: string;
  approved: string;
  generated_at: Date;
}

/**
 * The holders of the credited cards (`cards`: their ids and balances) counted once each, those
 * with credit left, and the campaign's APPROVED applications (count and committed cents, with what
 * REVOKED ones had spent when revoked); with the snapshot's time.
 */
export async function campaignPeople(
  tx: EntityManager,
  campaignId: string,
  cards: readonly { cardId: string; posted: number }[],
): Promise<CampaignPeople> {
  const [people] = await tx.execute<CampaignPeople[]>(
    `with holders as (
       select c.holder_fiscal_code_hash as holder, x.posted
         from unnest(?::uuid[], ?::bigint[]) as x(card_id, posted)
         join ${S}."card" c on c.id = x.card_id
     ),
     approved as (
       select coalesce(sum(case when status = 'APPROVED' then amount_cents
                                else revoked_spent_cents end), 0) as committed,
              count(*) filter (where status = 'APPROVED') as n
         from ${S}."application" where campaign_id = ? and status in ('APPROVED', 'REVOKED')
     )
     select (select count(distinct holder) from holders)::text as beneficiaries_credited,
            (select count(distinct holder) from holders where posted > 0)::text as beneficiaries_with_credit,
            approved.committed::text as committed, approved.n::text as approved,
            now() as generated_at
       from approved`,
    [
      arrayLiteral(cards.map((c) => c.cardId)),
      arrayLiteral(cards.map((c) => c.posted)),
      campaignId,
    ],
  );
  return people!;
}

/** The status and category of these payments. */
export function paymentsByIds(tx: EntityManager, paymentIds: readonly string[]) {
  return paymentIds.length
    ? tx.execute<{ id: string; status: string; category: string }[]>(
        `select id, status, category from ${S}."payment" where id = any(?::uuid[])`,
        [arrayLiteral(paymentIds)],
      )
    : Promise.resolve([]);
}

/**
 * The campaign's shops (those ACCREDITED, and any other with spending) with their figures
 * (`perShop`: payments and cents by accreditation), the biggest spending first.
 */
export function campaignShops(
  tx: EntityManager,
  campaignId: string,
  perShop: readonly { key: string; payments: number; amount: number }[],
) {
  return tx.execute<
    {
      accreditation_id: string;
      merchant_id: string;
      business_name: string;
      status: string;
      payments: string;
      amount: string;
    }[]
  >(
    `select s.id as accreditation_id, s.merchant_id, s.business_name, s.status,
            coalesce(ps.payments, 0)::text as payments, coalesce(ps.amount, 0)::text as amount
       from ${S}."shop_accreditation" s
       left join unnest(?::uuid[], ?::bigint[], ?::bigint[]) as ps(accreditation_id, payments, amount)
         on ps.accreditation_id = s.id
      where s.campaign_id = ? and (s.status = 'ACCREDITED' or ps.accreditation_id is not null)
      order by coalesce(ps.amount, 0) desc, s.business_name, s.id`,
    [
      arrayLiteral(perShop.map((p) => p.key)),
      arrayLiteral(perShop.map((p) => p.payments)),
      arrayLiteral(perShop.map((p) => p.amount)),
      campaignId,
    ],
  );
}

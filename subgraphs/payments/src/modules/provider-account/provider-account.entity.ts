import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A provider organisation's Stripe Connect account (a COOPERATIVE or an ASSOCIATION of identity,
 * referenced by id): card payments for its offers are direct charges on it.
 */
@Entity({ tableName: 'provider_account' })
export class ProviderAccount {
  [OptionalProps]?: 'chargesEnabled' | 'detailsSubmitted' | 'createdAt' | 'updatedAt';

  /** The provider organisation (identity Organisation id): one account each. */
  @PrimaryKey({ type: 'uuid' })
  organisationId!: string;

  /** Stripe's account id (`acct_…`). */
  @Property({ type: 'text' })
  stripeAccountId!: string;

  /** Stripe lets the account take card payments (set by `account.updated` and by retrieval). */
  @Property({ type: 'boolean' })
  chargesEnabled: boolean = false;

  /** The provider has submitted its onboarding details. */
  @Property({ type: 'boolean' })
  detailsSubmitted: boolean = false;

  /** The admin who started the onboarding. */
  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

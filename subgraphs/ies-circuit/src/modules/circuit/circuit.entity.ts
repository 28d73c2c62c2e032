import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Who pays a movement's fee: the payer (on top of the amount) or the payee (out of it). */
export const FEE_PAYERS = ['PAYER', 'PAYEE'] as const;
export type FeePayer = (typeof FEE_PAYERS)[number];

export const CIRCUIT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type CircuitStatus = (typeof CIRCUIT_STATUSES)[number];

/**
 * An IES circuit: the local unit of account of one territory (a Comune or a group of Comuni), run by
 * its manager (the Comune or its delegate, an identity Organisation) with its own rules. Its money is
 * on the subgraph's book (see `modules/ledger`); its rules are here.
 */
@Entity({ tableName: 'circuit' })
export class Circuit {
  [OptionalProps]?:
    | 'feeFixedCents'
    | 'feeBasisPoints'
    | 'feeMaxCents'
    | 'feePayer'
    | 'welfareExempt'
    | 'conversionFeeBasisPoints'
    | 'conversionFeeMinCents'
    | 'demurrageBasisPoints'
    | 'expiryMonths'
    | 'status'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The public code in the portal's addresses (`balestrate`). */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** The Comuni of the territory, in words (`Balestrate`, `Partinico e Trappeto`). */
  @Property({ type: 'text' })
  territory!: string;

  /** The manager: an identity Organisation (the Comune or its delegate), the circuit's tenant. */
  @Property({ type: 'uuid' })
  managerId!: string;

  /** The fixed part of the fee per movement, in cents (like a taxi's starting fare). */
  @Property({ type: 'integer' })
  feeFixedCents = 0;

  /** The proportional part of the fee per movement, in basis points of the amount (100 = 1%). */
  @Property({ type: 'integer' })
  feeBasisPoints = 0;

  /** The most one movement's fee can be, in cents (none: no cap). */
  @Property({ type: 'integer', nullable: true })
  feeMaxCents?: number | null = null;

  @Property({ type: 'text' })
  feePayer: FeePayer = 'PAYER';

  /** Movements funded by welfare (rewards, a card's fallback) pay no fee. */
  @Property({ type: 'boolean' })
  welfareExempt = true;

  /** The service fee on a business's conversion to euro, in basis points of the amount. */
  @Property({ type: 'integer' })
  conversionFeeBasisPoints = 0;

  /** The least a conversion's fee can be, in cents. */
  @Property({ type: 'integer' })
  conversionFeeMinCents = 0;

  /** Demurrage per month on balances, in basis points (0: none). */
  @Property({ type: 'integer' })
  demurrageBasisPoints = 0;

  /** IES unspent for this many months expires (none: never). */
  @Property({ type: 'integer', nullable: true })
  expiryMonths?: number | null = null;

  @Property({ type: 'text' })
  status: CircuitStatus = 'ACTIVE';

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

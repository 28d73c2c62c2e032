import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import {
  allocate,
  checkFundingSources,
  fillInOrder,
  FUNDING_ALLOCATIONS,
  type FundingAllocation,
  type FundingSource,
} from './funding.js';
import {
  fundingAllocationOf,
  fundingSourcesOf,
  replaceFundingSources,
} from './funding.repository.js';

/** What one source funds and how much of the campaign's money is reported against it. */
export interface FundingReportLine extends FundingSource {
  /** The campaign's current budget split by the sources' amounts. */
  budgetCents: number;
  committedCents: number;
  creditedCents: number;
  /** At shops and on catalogue services, net of voids and refunds. */
  spentCents: number;
  /** Its amount minus its spent cents. */
  remainingCents: number;
  returnedCents: number;
}

/** The campaign's totals that the report splits among the sources. */
export interface FundingTotals {
  budgetCents: number;
  committedCents: number;
  creditedCents: number;
  spentCents: number;
  returnedCents: number;
}

/**
 * The report per source. `PRO_RATA`: each total split in proportion to the sources' amounts
 * (largest remainder). `PRIORITY`: the sources are used in their order (`fillInOrder`): the
 * budget, the committed, the credited and the spent cents fill the first source up to its amount,
 * then the second…; the returned cents (money left unspent) come from the sources used last, so
 * they fill from the last source backwards. Either way every column sums exactly to its total.
 * Empty without sources.
 */
export function fundingReport(
  sources: readonly FundingSource[],
  totals: FundingTotals,
  allocation: FundingAllocation = 'PRO_RATA',
): FundingReportLine[] {
  if (sources.length === 0) return [];
  const amounts = sources.map((s) => s.amountCents);
  const split =
    allocation === 'PRIORITY'
      ? (total: number) => fillInOrder(total, amounts)
      : (total: number) => allocate(total, amounts);
  const budget = split(totals.budgetCents);
  const committed = split(totals.committedCents);
  const credited = split(totals.creditedCents);
  const spent = split(totals.spentCents);
  const returned =
    allocation === 'PRIORITY'
      ? fillInOrder(totals.returnedCents, amounts.toReversed()).toReversed()
      : split(totals.returnedCents);
  return sources.map((s, i) => ({
    ...s,
    budgetCents: budget[i]!,
    committedCents: committed[i]!,
    creditedCents: credited[i]!,
    spentCents: spent[i]!,
    remainingCents: s.amountCents - spent[i]!,
    returnedCents: returned[i]!,
  }));
}

const notFound = () =>
  DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });

/**
 * A campaign's funding sources (State, Region, Comune, EU, donations…): read with the campaign,
 * replaced as a whole by the Comune's MANAGER.
 */
export class FundingService {
  constructor(private readonly audit: AuditService) {}

  /** The sources of a campaign the caller may see (the campaign's own visibility). */
  async sourcesOf(em: EntityManager, campaign: Campaign): Promise<FundingSource[]> {
    return fundingSourcesOf(em, campaign.id);
  }

  /** How the campaign's reports split the money among its sources. */
  async allocationOf(em: EntityManager, campaign: Campaign): Promise<FundingAllocation> {
    return fundingAllocationOf(em, campaign.id);
  }

  /**
   * Replaces the campaign's sources (MANAGER of its Comune; any status: the sources describe the
   * money, they do not change it). One transaction locks the campaign row (so the budget cannot
   * move meanwhile), checks the list against the locked budget, replaces the rows and writes the
   * audit row (EDIT_CAMPAIGN); BAD_USER_INPUT writes nothing. `allocation` is stored with the
   * list (the list's order is then the priority); without it the stored one stays.
   */
  async set(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    sources: readonly FundingSource[],
    allocation?: FundingAllocation | null,
  ): Promise<Campaign> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    return em.transactional(
      async (tx) => {
        const campaign = await tx.findOne(
          Campaign,
          { id: campaignId.toLowerCase() },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        );
        if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound();
        requireComuneManager(caller, campaign.comuneId);
        const rows = checkFundingSources(sources, campaign.budgetCents);
        if (allocation != null && !(FUNDING_ALLOCATIONS as readonly string[]).includes(allocation))
          new FieldErrors()
            .add('allocation', 'Modo di ripartizione sconosciuto.', 'Unknown allocation mode.')
            .throwIfAny();
        await replaceFundingSources(tx, campaign.id, rows, allocation ?? undefined);
        await this.audit.record(
          tx,
          actorOf(caller),
          campaign.comuneId,
          'EDIT_CAMPAIGN',
          `campaign:${campaign.id}`,
        );
        return campaign;
      },
      { clear: true },
    );
  }
}

import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller } from '@welfare/kit';
import { actorOf, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { allocate, checkFundingSources, type FundingSource } from './funding.js';
import { fundingSourcesOf, replaceFundingSources } from './funding.repository.js';

/** What one source funds and how much of the campaign's money is reported against it. */
export interface FundingReportLine extends FundingSource {
  /** The campaign's current budget split by the sources' amounts. */
  budgetCents: number;
  committedCents: number;
  creditedCents: number;
  /** At shops and on catalogue services, net of voids and refunds. */
  spentCents: number;
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
 * The report per source: each total split pro rata of the sources' amounts (largest remainder, so
 * every column sums exactly to its total). Empty without sources.
 */
export function fundingReport(
  sources: readonly FundingSource[],
  totals: FundingTotals,
): FundingReportLine[] {
  if (sources.length === 0) return [];
  const weights = sources.map((s) => s.amountCents);
  const split = (total: number) => allocate(total, weights);
  const budget = split(totals.budgetCents);
  const committed = split(totals.committedCents);
  const credited = split(totals.creditedCents);
  const spent = split(totals.spentCents);
  const returned = split(totals.returnedCents);
  return sources.map((s, i) => ({
    ...s,
    budgetCents: budget[i]!,
    committedCents: committed[i]!,
    creditedCents: credited[i]!,
    spentCents: spent[i]!,
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

  /**
   * Replaces the campaign's sources (MANAGER of its Comune; any status: the sources describe the
   * money, they do not change it). One transaction locks the campaign row (so the budget cannot
   * move meanwhile), checks the list against the locked budget, replaces the rows and writes the
   * audit row (EDIT_CAMPAIGN); BAD_USER_INPUT writes nothing.
   */
  async set(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    sources: readonly FundingSource[],
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
        await replaceFundingSources(tx, campaign.id, rows);
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

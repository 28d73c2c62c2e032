import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OFFER_CATEGORIES, SHOP_CATEGORIES, isOfferCategory } from '../shared/categories.js';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import {
  actorOf,
  isComuneStaff,
  isUuid,
  requireComuneManager,
  requireComuneStaff,
} from '@welfare/kit/access';
import { syncCampaignFund } from '../ledger/ledger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IseeType } from '../shared/enums.js';
import { Campaign } from './campaign.entity.js';
import { DEFAULT_EXCLUDED_CATEGORIES, type RankingCriterion } from './campaign.enums.js';
import type { CampaignInput, EligibilityRulesInput, SimulationInput } from './campaign.input.js';
import { allHouseholdFacts, fundInOrder, rankingComparator } from './facts.js';
import {
  MAX_CENTS,
  entitlementCents,
  failedRules,
  normaliseCriteria,
  validateItems,
  validateRules,
  validateSchedule,
  type AmountSchedule,
  type EligibilityRules,
} from './rules.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The stored rules from their GraphQL input. */
export function rulesFromInput(input: EligibilityRulesInput): EligibilityRules {
  const iseeMaxByType: Partial<Record<IseeType, number>> = {};
  for (const t of input.iseeThresholds) iseeMaxByType[t.type] = t.maxCents;
  return {
    requireResidency: input.requireResidency,
    iseeMaxByType,
    minSize: input.minSize ?? null,
    maxSize: input.maxSize ?? null,
    excludePublicSupport: input.excludePublicSupport,
  };
}

function scheduleFromInput(input: SimulationInput['amountSchedule']): AmountSchedule {
  return {
    mode: input.mode,
    bySizeCents: input.mode === 'BY_SIZE' ? [...input.bySizeCents] : [],
    perAdultCents: input.mode === 'PER_MEMBER' ? input.perAdultCents : 0,
    perMinorCents: input.mode === 'PER_MEMBER' ? input.perMinorCents : 0,
    capCents: input.mode === 'PER_MEMBER' ? (input.capCents ?? null) : null,
  };
}

function validateBudget(budgetCents: number, errors: FieldErrors, field = 'budgetCents'): void {
  if (!Number.isInteger(budgetCents) || budgetCents < 0 || budgetCents > MAX_CENTS) {
    errors.add(
      field,
      'Bilancio in centesimi tra 0 e 100.000.000 €.',
      'Budget in cents between €0 and €100,000,000.',
    );
  }
}

function textField(
  errors: FieldErrors,
  field: string,
  value: string,
  min: number,
  max: number,
): string {
  const v = value.trim();
  if ([...v].length < min || [...v].length > max) {
    errors.add(field, `Da ${min} a ${max} caratteri.`, `${min} to ${max} characters.`);
  }
  return v;
}

/** The application window (opening before closing) and the spending window (YYYY-MM-DD, in order). */
function validateWindows(input: CampaignInput, errors: FieldErrors): void {
  const open = input.applicationsOpenAt;
  const close = input.applicationsCloseAt;
  if (Number.isNaN(open.getTime()))
    errors.add('applicationsOpenAt', 'Data non valida.', 'Invalid date.');
  if (Number.isNaN(close.getTime()))
    errors.add('applicationsCloseAt', 'Data non valida.', 'Invalid date.');
  else if (close.getTime() <= open.getTime()) {
    errors.add(
      'applicationsCloseAt',
      'La chiusura deve seguire l’apertura.',
      'Applications must close after they open.',
    );
  }
  if (!validDate(input.spendingFrom))
    errors.add('spendingFrom', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
  if (!validDate(input.spendingUntil))
    errors.add('spendingUntil', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
  else if (validDate(input.spendingFrom) && input.spendingUntil < input.spendingFrom) {
    errors.add(
      'spendingUntil',
      'La fine della spesa non può precedere l’inizio.',
      'Spending cannot end before it starts.',
    );
  }
}

/** The required documents and the declarations, trimmed and checked. */
function documentsAndDeclarations(input: CampaignInput, errors: FieldErrors) {
  const requiredDocuments = input.requiredDocuments.map((d) => ({
    code: d.code.trim(),
    labelIt: d.labelIt.trim(),
    labelEn: d.labelEn.trim(),
    mandatory: d.mandatory,
  }));
  validateItems(
    requiredDocuments.map((d) => ({ code: d.code, texts: [d.labelIt, d.labelEn] })),
    errors,
    'requiredDocuments',
  );
  const declarations = input.declarations.map((d) => ({
    code: d.code.trim(),
    textIt: d.textIt.trim(),
    textEn: d.textEn.trim(),
  }));
  validateItems(
    declarations.map((d) => ({ code: d.code, texts: [d.textIt, d.textEn] })),
    errors,
    'declarations',
  );
  return { requiredDocuments, declarations };
}

/**
 * The shop categories the credit cannot pay for (the default ones unless given; never all) and
 * the third-sector service categories it can, in the taxonomy's order.
 */
function categories(input: CampaignInput, errors: FieldErrors) {
  const excludedCategories = [...new Set(input.excludedCategories ?? DEFAULT_EXCLUDED_CATEGORIES)];
  if (excludedCategories.some((c) => !(SHOP_CATEGORIES as readonly string[]).includes(c)))
    errors.add('excludedCategories', 'Categoria sconosciuta.', 'Unknown category.');
  else if (excludedCategories.length === SHOP_CATEGORIES.length)
    errors.add(
      'excludedCategories',
      'Escludendo tutte le categorie il credito non si potrebbe spendere.',
      'Excluding every category would leave the credit unspendable.',
    );
  const serviceCategories = [...new Set(input.serviceCategories ?? [])];
  if (!serviceCategories.every(isOfferCategory))
    errors.add(
      'serviceCategories',
      'Categoria di servizio sconosciuta.',
      'Unknown service category.',
    );
  const order = OFFER_CATEGORIES as readonly string[];
  serviceCategories.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { excludedCategories, serviceCategories };
}

/** What a valid CampaignInput becomes (every field checked; BAD_USER_INPUT lists them all). */
function campaignData(input: CampaignInput) {
  const errors = new FieldErrors();
  const title = textField(errors, 'title', input.title, 3, 200);
  const description = textField(errors, 'description', input.description, 1, 10_000);
  const contacts = textField(errors, 'contacts', input.contacts, 1, 2_000);
  validateBudget(input.budgetCents, errors);
  validateWindows(input, errors);
  const rules = rulesFromInput(input.rules);
  validateRules(rules, errors, 'rules.');
  const amountSchedule = scheduleFromInput(input.amountSchedule);
  validateSchedule(amountSchedule, errors, 'amountSchedule.');
  const { requiredDocuments, declarations } = documentsAndDeclarations(input, errors);
  if (!Number.isInteger(input.decisionDays) || input.decisionDays < 1 || input.decisionDays > 365)
    errors.add('decisionDays', 'Da 1 a 365 giorni.', 'From 1 to 365 days.');
  const { excludedCategories, serviceCategories } = categories(input, errors);
  errors.throwIfAny();
  return {
    kind: input.kind,
    title,
    description,
    contacts,
    budgetCents: input.budgetCents,
    applicationsOpenAt: input.applicationsOpenAt,
    applicationsCloseAt: input.applicationsCloseAt,
    spendingFrom: input.spendingFrom,
    spendingUntil: input.spendingUntil,
    rules,
    amountSchedule,
    requiredDocuments,
    declarations,
    rankingCriteria: normaliseCriteria(input.rankingCriteria),
    decisionDays: input.decisionDays,
    excludedCategories,
    serviceCategories,
  };
}

/** The simulation's answer (see SimulationResult in the schema). */
export interface Simulation {
  households: number;
  eligible: number;
  totalCostCents: number;
  budgetCents: number;
  funded: number;
  fundedCents: number;
  shortfallCents: number;
  exclusions: { code: string; excluded: number }[];
  bySize: { size: number; households: number; costCents: number }[];
  tookMs: number;
}

/**
 * Campaigns (measures). Staff of the Comune edit drafts and simulate; its MANAGER publishes and
 * closes. Published and closed campaigns are public; drafts are visible to the Comune's staff only.
 */
export class CampaignService {
  constructor(private readonly audit: AuditService) {}

  /** The Comune's campaigns, newest first (staff). */
  async listForComune(em: EntityManager, caller: Caller, comuneId: string): Promise<Campaign[]> {
    requireComuneStaff(caller, comuneId);
    return em.find(Campaign, { comuneId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** Every published campaign of every Comune, closing soonest first (public). */
  async listPublished(em: EntityManager): Promise<Campaign[]> {
    return em.find(
      Campaign,
      { status: 'PUBLISHED' },
      { orderBy: { applicationsCloseAt: 'asc', id: 'asc' } },
    );
  }

  /** One campaign: null when missing, or a draft the caller may not see. */
  async get(em: EntityManager, caller: Caller, id: string): Promise<Campaign | null> {
    if (!isUuid(id)) return null;
    const campaign = await em.findOne(Campaign, { id });
    if (!campaign) return null;
    if (campaign.status === 'DRAFT' && !isComuneStaff(caller, campaign.comuneId)) return null;
    return campaign;
  }

  /** A campaign the caller staffs (FORBIDDEN otherwise; NOT_FOUND when missing). */
  async getForStaff(em: EntityManager, caller: Caller, id: string): Promise<Campaign> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const campaign = isUuid(id) ? await em.findOne(Campaign, { id }) : null;
    if (!campaign) throw notFound();
    requireComuneStaff(caller, campaign.comuneId);
    return campaign;
  }

  /** Creates a DRAFT. BAD_USER_INPUT (nothing written) lists every invalid field. */
  async create(em: EntityManager, caller: Caller, input: CampaignInput): Promise<Campaign> {
    const person = requireComuneStaff(caller, input.comuneId);
    const data = campaignData(input);
    const campaign = em.create(Campaign, {
      ...data,
      comuneId: input.comuneId,
      createdBy: person.personId,
    });
    await em.flush();
    await this.audit.record(
      em,
      actorOf(caller),
      input.comuneId,
      'EDIT_CAMPAIGN',
      `campaign:${campaign.id}`,
    );
    return campaign;
  }

  /** Replaces a DRAFT's fields (CONFLICT once published: only the budget can change then). */
  async update(
    em: EntityManager,
    caller: Caller,
    id: string,
    input: CampaignInput,
  ): Promise<Campaign> {
    const campaign = await this.getForStaff(em, caller, id);
    if (input.comuneId !== campaign.comuneId) throw DomainError.forbidden();
    const data = campaignData(input);
    if (campaign.status !== 'DRAFT') {
      throw new DomainError('CONFLICT', {
        it: 'Una misura pubblicata non si modifica: si può solo aumentare il bilancio o chiuderla.',
        en: 'A published campaign cannot be edited: only its budget can grow, or it can be closed.',
      });
    }
    em.assign(campaign, data);
    await em.flush();
    await this.audit.record(
      em,
      actorOf(caller),
      campaign.comuneId,
      'EDIT_CAMPAIGN',
      `campaign:${campaign.id}`,
    );
    return campaign;
  }

  /**
   * DRAFT → PUBLISHED (MANAGER). BAD_USER_INPUT when applications already closed. Atomic: one
   * transaction locks the campaign row, checks it is still a DRAFT, publishes it, funds its FUND
   * with the budget of the locked row and writes the audit row; a failure anywhere rolls it all
   * back (the campaign stays a DRAFT with an empty FUND).
   */
  async publish(em: EntityManager, caller: Caller, id: string): Promise<Campaign> {
    // Who may publish, before anything is locked (UNAUTHENTICATED, NOT_FOUND, FORBIDDEN).
    const found = await this.getForStaff(em, caller, id);
    requireComuneManager(caller, found.comuneId);
    // `clear`: the transaction's fork loads its own copy of the campaign, so a rollback leaves the
    // caller's entities as they were (still a DRAFT).
    return em.transactional(
      async (tx) => {
        const campaign = await tx.findOne(
          Campaign,
          { id: found.id },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        );
        if (!campaign) throw notFound();
        if (campaign.status !== 'DRAFT') throw conflict();
        if (campaign.applicationsCloseAt.getTime() <= Date.now()) {
          new FieldErrors()
            .add(
              'applicationsCloseAt',
              'La finestra delle domande è già chiusa.',
              'The application window has already closed.',
            )
            .throwIfAny();
        }
        campaign.status = 'PUBLISHED';
        campaign.publishedAt = new Date();
        await tx.flush();
        // The Comune's issuer funds the campaign's FUND with the locked row's budget.
        await syncCampaignFund(tx, campaign);
        await this.audit.record(
          tx,
          actorOf(caller),
          campaign.comuneId,
          'PUBLISH_CAMPAIGN',
          `campaign:${campaign.id}`,
        );
        return campaign;
      },
      { clear: true },
    );
  }

  /** PUBLISHED → CLOSED (MANAGER): no more applications. */
  async close(em: EntityManager, caller: Caller, id: string): Promise<Campaign> {
    const campaign = await this.getForStaff(em, caller, id);
    requireComuneManager(caller, campaign.comuneId);
    if (campaign.status !== 'PUBLISHED') throw conflict();
    campaign.status = 'CLOSED';
    await em.flush();
    await this.audit.record(
      em,
      actorOf(caller),
      campaign.comuneId,
      'CLOSE_CAMPAIGN',
      `campaign:${campaign.id}`,
    );
    return campaign;
  }

  /**
   * The campaign's rules and amounts applied to every household of the registry today: how many
   * qualify, at what cost, how many the budget covers in ranking order. Reads income data:
   * writes SEARCH_INCOME.
   */
  async simulate(em: EntityManager, caller: Caller, input: SimulationInput): Promise<Simulation> {
    requireComuneStaff(caller, input.comuneId);
    const errors = new FieldErrors();
    const rules = rulesFromInput(input.rules);
    validateRules(rules, errors, 'rules.');
    const schedule = scheduleFromInput(input.amountSchedule);
    validateSchedule(schedule, errors, 'amountSchedule.');
    validateBudget(input.budgetCents, errors);
    errors.throwIfAny();
    const started = performance.now();
    const households = await allHouseholdFacts(em, input.comuneId);
    const result = simulateOver(
      households,
      rules,
      schedule,
      input.budgetCents,
      normaliseCriteria(input.rankingCriteria),
    );
    await this.audit.record(
      em,
      actorOf(caller),
      input.comuneId,
      'SEARCH_INCOME',
      `simulation:${input.comuneId}`,
    );
    return { ...result, tookMs: Math.round(performance.now() - started) };
  }
}

/** The simulation over given households (pure: no database). */
export function simulateOver(
  households: { code: string; facts: import('./rules.js').HouseholdFacts }[],
  rules: EligibilityRules,
  schedule: AmountSchedule,
  budgetCents: number,
  criteria: RankingCriterion[],
): Omit<Simulation, 'tookMs'> {
  const exclusions = new Map<string, number>();
  const eligible: { code: string; facts: import('./rules.js').HouseholdFacts; amount: number }[] =
    [];
  for (const h of households) {
    const failed = failedRules(rules, h.facts);
    for (const code of failed) exclusions.set(code, (exclusions.get(code) ?? 0) + 1);
    if (failed.length === 0) {
      eligible.push({ ...h, amount: entitlementCents(schedule, h.facts.size, h.facts.minors) });
    }
  }
  const compare = rankingComparator(criteria);
  eligible.sort((a, b) =>
    compare(
      { facts: a.facts, submittedAt: null, tieBreak: a.code },
      { facts: b.facts, submittedAt: null, tieBreak: b.code },
    ),
  );
  const totalCostCents = eligible.reduce((s, e) => s + e.amount, 0);
  const { funded, fundedCents } = fundInOrder(
    eligible.map((e) => e.amount),
    budgetCents,
  );
  const bySize = new Map<number, { households: number; costCents: number }>();
  for (const e of eligible) {
    const row = bySize.get(e.facts.size) ?? { households: 0, costCents: 0 };
    row.households += 1;
    row.costCents += e.amount;
    bySize.set(e.facts.size, row);
  }
  return {
    households: households.length,
    eligible: eligible.length,
    totalCostCents,
    budgetCents,
    funded,
    fundedCents,
    shortfallCents: Math.max(0, totalCostCents - budgetCents),
    exclusions: [...exclusions].map(([code, excluded]) => ({ code, excluded })),
    bySize: [...bySize].sort((a, b) => a[0] - b[0]).map(([size, v]) => ({ size, ...v })),
  };
}

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', {
    it: 'Misura non trovata.',
    en: 'Campaign not found.',
  });
}

function conflict(): DomainError {
  return new DomainError('CONFLICT', {
    it: 'Operazione non possibile nello stato attuale della misura.',
    en: 'Not possible in the campaign’s current status.',
  });
}

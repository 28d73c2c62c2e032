import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf, isUuid } from '@welfare/kit/access';
import type { AuditLog } from '@welfare/kit/audit';
import { isIsoDate, romeDay } from '@welfare/kit/dates';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import {
  TransferCode,
  book,
  deterministicId,
  openCircuitAccounts,
  openWallet,
} from '../ledger/ledger.js';
import { Member } from '../member/member.entity.js';
import type { MemberLookup } from '../member/member.service.js';
import { requireCircuitStaff, requireOrganisationRole } from '../shared/access.js';
import { EarningRule } from './earning.entity.js';
import type { EarningRepository, RewardRow } from './earning.repository.js';
import { validateRule, type EarningRuleInput } from './earning.rules.js';
import { ShareInitiative, ShareLink } from './share.entity.js';
import type { RewardDescription } from './reward-description.js';

/** The audited actions of the earning module. */
export type EarningAuditAction =
  | 'EARNING_RULE_CREATED'
  | 'EARNING_RULE_UPDATED'
  | 'EARNING_RULE_DEACTIVATED'
  | 'SHARE_INITIATIVE_CREATED'
  | 'VOLUNTEER_SHIFT_CONFIRMED';

const RULE_NOT_FOUND = { it: 'Regola non trovata.', en: 'Rule not found.' };
const NO_REWARDS = {
  it: 'Il fondo premi del circuito è esaurito: nessun premio è stato assegnato. Il gestore deve ricaricarlo.',
  en: 'The circuit’s rewards fund is empty: no reward was given. The manager must top it up.',
};

/** What happened to a claim: paid (in full or up to the cap), already earned, or not paid. */
export type RewardOutcome =
  | { status: 'PAID'; reward: RewardRow }
  | { status: 'ALREADY_EARNED'; reward: RewardRow | null }
  | { status: 'NO_RULE' }
  | { status: 'UNFUNDED' };

/** A claim of a reward from one source. */
export interface RewardClaim {
  circuitId: string;
  rule: EarningRule;
  member: Member;
  /** The source, unique in the circuit: `attendance:<id>`, `shift:<id>`, `payment:<id>`… */
  source: string;
  requestedCents: number;
  /** What the reward is for: a code and its parameters, rendered in the reader's language. */
  description: RewardDescription;
  at: Date;
  /** When the rewards account cannot pay: refuse (CONFLICT, the transaction rolls back) or skip. */
  whenUnfunded: 'refuse' | 'skip';
}

/** A confirmed volunteering shift as the association gives it. */
export interface ShiftInput {
  circuitId: string;
  organisationId: string;
  fiscalCode: string;
  day: string;
  hours: number;
  description: string;
}

/** The payment `afterPayment` hands to the cashback. */
export interface LocalPurchase {
  circuitId: string;
  payerMemberId: string;
  payeeMemberId: string;
  paymentId: string;
  amountCents: number;
}

/** A tutoring attendance marked PRESENT, as third-sector's feed gives it. */
export interface PresentAttendance {
  bookingId: string;
  /** The booker (the family): an identity Person. */
  personId: string;
  /** The Comune funding the programme: the manager of the circuits that reward it. */
  comuneId: string;
  programmeTitle: string;
  markedAt: Date;
}

const hashOf = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * Earning by taking part: the rules (staff of the circuit), the rewards they pay (out of the
 * circuit's rewards account, one per source, within the cap of the member's period) and the
 * sources: a citizen's payment to a member business (cashback), a tutoring attendance, a shift
 * confirmed by an association or cooperative, the distinct visits of a shared link.
 */
export class EarningService {
  constructor(
    private readonly repo: EarningRepository,
    private readonly circuits: CircuitService,
    private readonly members: MemberLookup,
    private readonly audit: AuditLog<EarningAuditAction>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---- rules -------------------------------------------------------------------------------

  /** Every rule of the circuit (staff of the circuit). */
  async rules(em: EntityManager, caller: Caller, circuitId: string): Promise<EarningRule[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.repo.rules(em, circuit.id);
  }

  async createRule(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    input: EarningRuleInput,
  ): Promise<EarningRule> {
    const circuit = await this.circuits.byId(em, circuitId);
    const person = requireCircuitStaff(caller, circuit);
    const valid = validateRule(input);
    return em.fork().transactional(async (tx) => {
      const rule = tx.create(EarningRule, {
        ...valid,
        circuitId: circuit.id,
        createdBy: person.personId,
      });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        'EARNING_RULE_CREATED',
        `rule:${rule.id}`,
      );
      return rule;
    });
  }

  async updateRule(
    em: EntityManager,
    caller: Caller,
    ruleId: string,
    input: EarningRuleInput,
  ): Promise<EarningRule> {
    const { rule, circuit } = await this.staffRule(em, caller, ruleId);
    const valid = validateRule(input);
    if (valid.kind !== rule.kind) {
      throw DomainError.badInput([
        {
          field: 'kind',
          message: {
            it: 'Il tipo di una regola non si cambia: crearne una nuova.',
            en: 'A rule’s kind does not change: create a new one.',
          },
        },
      ]);
    }
    return em.fork().transactional(async (tx) => {
      const row = await tx.findOneOrFail(EarningRule, { id: rule.id });
      Object.assign(row, valid);
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        'EARNING_RULE_UPDATED',
        `rule:${rule.id}`,
      );
      return row;
    });
  }

  /** Stops a rule: it pays no more (what it paid stays). Idempotent. */
  async deactivateRule(em: EntityManager, caller: Caller, ruleId: string): Promise<EarningRule> {
    const { rule, circuit } = await this.staffRule(em, caller, ruleId);
    return em.fork().transactional(async (tx) => {
      const row = await tx.findOneOrFail(EarningRule, { id: rule.id });
      if (row.active) {
        row.active = false;
        await tx.flush();
        await this.audit.record(
          tx,
          actorOf(caller),
          circuit.managerId,
          'EARNING_RULE_DEACTIVATED',
          `rule:${rule.id}`,
        );
      }
      return row;
    });
  }

  private async staffRule(em: EntityManager, caller: Caller, ruleId: string) {
    const rule = isUuid(ruleId) ? await this.repo.rule(em, ruleId) : null;
    if (!rule) throw DomainError.notFound(RULE_NOT_FOUND);
    const circuit = await this.circuits.byId(em, rule.circuitId);
    requireCircuitStaff(caller, circuit);
    return { rule, circuit };
  }

  // ---- the reward ----------------------------------------------------------------------------

  /**
   * Pays a reward from its source, inside the caller's transaction `tx`: claims the source (the
   * same source never earns twice, even claimed at once), locks the member's counter for the rule
   * and period (concurrent claims wait), pays what is left under the cap (a reward partly over
   * the cap pays up to it, and says so; one over it pays nothing and is recorded as such), as a
   * REWARD transfer rewards → wallet whose id is derived from the source.
   */
  async reward(tx: EntityManager, claim: RewardClaim): Promise<RewardOutcome> {
    const { rule, member } = claim;
    const id = deterministicId('ies-reward', claim.circuitId, claim.source);
    const periodStart = await this.repo.periodStart(tx, rule.capPeriod, claim.at);
    await tx.execute('savepoint ies_reward');
    const claimed = await this.repo.claimSource(tx, {
      id,
      circuitId: claim.circuitId,
      ruleId: rule.id,
      memberId: member.id,
      kind: rule.kind,
      source: claim.source,
      requestedCents: claim.requestedCents,
      periodStart,
      description: claim.description,
    });
    if (!claimed) {
      await tx.execute('release savepoint ies_reward');
      return { status: 'ALREADY_EARNED', reward: await this.repo.rewardById(tx, id) };
    }
    const earned = await this.repo.lockCounter(tx, member.id, rule.id, periodStart);
    const paid = Math.max(0, Math.min(claim.requestedCents, rule.capCents - earned));
    if (paid > 0) {
      const walletId = await openWallet(tx, member);
      const accounts = await openCircuitAccounts(tx, claim.circuitId);
      // Wallet first, then the rewards account: the order a payment's cashback takes them in.
      await book.lockAccounts(tx, { ids: [walletId] });
      const [rewards] = await book.lockAccounts(tx, { ids: [accounts.rewards] });
      if (!rewards || rewards.available < paid) {
        await tx.execute('rollback to savepoint ies_reward');
        if (claim.whenUnfunded === 'skip') return { status: 'UNFUNDED' };
        throw DomainError.conflict(NO_REWARDS);
      }
      await book.transfer(tx, {
        id,
        debit: accounts.rewards,
        credit: walletId,
        amount: paid,
        code: TransferCode.REWARD,
        reference: claim.source,
      });
    }
    // The cap's note is read from the amounts (paid less than requested), not stored.
    await this.repo.recordPaid(tx, id, member.id, rule.id, periodStart, paid);
    await tx.execute('release savepoint ies_reward');
    return { status: 'PAID', reward: (await this.repo.rewardById(tx, id))! };
  }

  // ---- sources -------------------------------------------------------------------------------

  /**
   * Local purchase cashback, run inside the payment's transaction (payments' `afterPayment`
   * hook): a citizen's payment to an ACTIVE member BUSINESS returns the rule's share to the
   * citizen. Never fails the payment: no rule, nothing due or an empty rewards account pay
   * nothing (the outcome says which).
   */
  async rewardLocalPurchase(tx: EntityManager, payment: LocalPurchase): Promise<RewardOutcome> {
    const payer = await tx.findOne(Member, { id: payment.payerMemberId });
    const payee = await tx.findOne(Member, { id: payment.payeeMemberId });
    if (
      !payer ||
      !payee ||
      payer.circuitId !== payment.circuitId ||
      payee.circuitId !== payment.circuitId ||
      payer.kind !== 'CITIZEN' ||
      payer.status !== 'ACTIVE' ||
      payee.kind !== 'BUSINESS' ||
      payee.status !== 'ACTIVE'
    ) {
      return { status: 'NO_RULE' };
    }
    const at = this.now();
    const [rule] = await this.repo.inForce(tx, payment.circuitId, 'LOCAL_PURCHASE', romeDay(at));
    const cents = rule ? Math.floor((payment.amountCents * (rule.basisPoints ?? 0)) / 10000) : 0;
    if (!rule || cents < 1) return { status: 'NO_RULE' };
    return this.reward(tx, {
      circuitId: payment.circuitId,
      rule,
      member: payer,
      source: `payment:${payment.paymentId}`,
      requestedCents: cents,
      description: { code: 'LOCAL_PURCHASE', params: { payee: payee.displayName } },
      at,
      whenUnfunded: 'skip',
    });
  }

  /**
   * A tutoring attendance marked PRESENT: rewards the booker's ACTIVE citizen membership of each
   * circuit managed by the programme's Comune, once per attendance (unmarked and marked again, it
   * does not earn again). CONFLICT when the rewards account cannot pay (nothing written).
   */
  async rewardAttendance(em: EntityManager, attendance: PresentAttendance): Promise<number> {
    const members = await em.execute<{ id: string }[]>(
      `select m.id from "ies_circuit"."member" m
         join "ies_circuit"."circuit" c on c.id = m.circuit_id
        where c.manager_id = ? and c.status = 'ACTIVE' and m.person_id = ?
          and m.kind = 'CITIZEN' and m.status = 'ACTIVE'`,
      [attendance.comuneId, attendance.personId],
    );
    let paid = 0;
    for (const { id } of members) {
      await em.fork().transactional(async (tx) => {
        const member = await tx.findOneOrFail(Member, { id });
        const [rule] = await this.repo.inForce(
          tx,
          member.circuitId,
          'ATTENDANCE',
          romeDay(attendance.markedAt),
        );
        if (!rule) return;
        const outcome = await this.reward(tx, {
          circuitId: member.circuitId,
          rule,
          member,
          source: `attendance:${attendance.bookingId}`,
          requestedCents: rule.amountCents!,
          description: { code: 'ATTENDANCE', params: { programme: attendance.programmeTitle } },
          at: attendance.markedAt,
          whenUnfunded: 'refuse',
        });
        if (outcome.status === 'PAID') paid += 1;
      });
    }
    return paid;
  }

  /**
   * An association or cooperative (its ADMIN) confirms a member citizen's volunteering shift:
   * once per volunteer, organisation and day (CONFLICT the second time); the rule pays per hour or
   * per shift. CONFLICT when the rewards account cannot pay (nothing written).
   */
  async confirmShift(
    em: EntityManager,
    caller: Caller,
    input: ShiftInput,
  ): Promise<RewardOutcome & { shiftId?: string }> {
    const circuit = await this.circuits.byId(em, input.circuitId);
    const person = requireOrganisationRole(caller, input.organisationId, ['ADMIN', 'OWNER']);
    const org = await this.members.organisation(em, caller, circuit, input.organisationId, [
      'ADMIN',
      'OWNER',
    ]);
    if (org.member.kind !== 'ASSOCIATION' && org.member.kind !== 'COOPERATIVE') {
      throw DomainError.forbidden({
        it: 'Solo un’associazione o una cooperativa del circuito conferma turni di volontariato.',
        en: 'Only an association or cooperative of the circuit confirms volunteering shifts.',
      });
    }
    const errors = new FieldErrors();
    const fiscalCode = (input.fiscalCode ?? '').trim().toUpperCase();
    const volunteer = /^[A-Z0-9]{16}$/.test(fiscalCode)
      ? await this.members.members.citizenIn(em, circuit.id, fiscalCode)
      : null;
    if (!volunteer || volunteer.status !== 'ACTIVE') {
      errors.add(
        'fiscalCode',
        'Nessun cittadino socio attivo del circuito con questo codice fiscale.',
        'No active citizen member of the circuit with this codice fiscale.',
      );
    }
    const today = romeDay(this.now());
    if (!isIsoDate(input.day) || input.day > today) {
      errors.add('day', 'Data non valida o futura.', 'Invalid or future date.');
    }
    const minutes = Math.round(input.hours * 60);
    if (!Number.isFinite(input.hours) || minutes < 15 || minutes > 1440 || minutes % 15 !== 0) {
      errors.add(
        'hours',
        'Le ore vanno da 0,25 a 24, a quarti d’ora.',
        'Hours go from 0.25 to 24, in quarters of an hour.',
      );
    }
    const description = (input.description ?? '').trim();
    if (description.length < 3 || description.length > 300) {
      errors.add(
        'description',
        'La descrizione va da 3 a 300 caratteri.',
        'The description takes 3 to 300 characters.',
      );
    }
    errors.throwIfAny();
    const shiftId = deterministicId('ies-shift', org.member.id, volunteer!.id, input.day);
    return em.fork().transactional(async (tx) => {
      const inserted = await this.repo.insertShift(tx, {
        id: shiftId,
        circuitId: circuit.id,
        organisationMemberId: org.member.id,
        memberId: volunteer!.id,
        day: input.day,
        minutes,
        description,
        confirmedBy: person.personId,
      });
      if (!inserted) {
        throw DomainError.conflict({
          it: 'Il turno di questo volontario in questo giorno è già confermato.',
          en: 'This volunteer’s shift on this day is already confirmed.',
        });
      }
      await this.audit.record(
        tx,
        actorOf(caller),
        input.organisationId,
        'VOLUNTEER_SHIFT_CONFIRMED',
        `shift:${shiftId}`,
      );
      const [rule] = await this.repo.inForce(tx, circuit.id, 'VOLUNTEERING', input.day);
      if (!rule) return { status: 'NO_RULE' as const, shiftId };
      const cents =
        rule.volunteeringUnit === 'HOUR'
          ? Math.round((rule.amountCents! * minutes) / 60)
          : rule.amountCents!;
      const outcome = await this.reward(tx, {
        circuitId: circuit.id,
        rule,
        member: volunteer!,
        source: `shift:${shiftId}`,
        requestedCents: cents,
        description: {
          code: 'VOLUNTEERING',
          params: { organisation: org.member.displayName, text: description },
        },
        at: this.now(),
        whenUnfunded: 'refuse',
      });
      return { ...outcome, shiftId };
    });
  }

  // ---- sharing -------------------------------------------------------------------------------

  /** The staff adds an initiative of the Comune citizens may share (title, address). */
  async createInitiative(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    input: { title: string; url: string },
  ): Promise<ShareInitiative> {
    const circuit = await this.circuits.byId(em, circuitId);
    const person = requireCircuitStaff(caller, circuit);
    const errors = new FieldErrors();
    const title = (input.title ?? '').trim();
    if (title.length < 3 || title.length > 200) {
      errors.add(
        'title',
        'Il titolo va da 3 a 200 caratteri.',
        'The title takes 3 to 200 characters.',
      );
    }
    const url = (input.url ?? '').trim();
    let valid = false;
    try {
      const parsed = new URL(url);
      valid = (parsed.protocol === 'https:' || parsed.protocol === 'http:') && url.length <= 500;
    } catch {
      valid = false;
    }
    if (!valid) errors.add('url', 'Indirizzo web non valido.', 'Invalid web address.');
    errors.throwIfAny();
    return em.fork().transactional(async (tx) => {
      const initiative = tx.create(ShareInitiative, {
        circuitId: circuit.id,
        title,
        url,
        createdBy: person.personId,
      });
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        'SHARE_INITIATIVE_CREATED',
        `initiative:${initiative.id}`,
      );
      return initiative;
    });
  }

  /** Every initiative of the circuit (its staff). */
  async staffInitiatives(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
  ): Promise<ShareInitiative[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.initiatives(em, circuit);
  }

  /** The circuit's initiatives. */
  async initiatives(em: EntityManager, circuit: Circuit): Promise<ShareInitiative[]> {
    return em.find(ShareInitiative, { circuitId: circuit.id }, { orderBy: { createdAt: 'asc' } });
  }

  /** The calling citizen's personal link to an initiative (made on first asking). */
  async shareLink(
    em: EntityManager,
    caller: Caller,
    code: string,
    initiativeId: string,
  ): Promise<ShareLink> {
    const circuit = await this.circuits.byCode(em, code);
    const { member } = await this.members.citizen(em, caller, circuit);
    const initiative = isUuid(initiativeId)
      ? await em.findOne(ShareInitiative, { id: initiativeId, circuitId: circuit.id, active: true })
      : null;
    if (!initiative) {
      throw DomainError.notFound({ it: 'Iniziativa non trovata.', en: 'Initiative not found.' });
    }
    await em.execute(
      `insert into "ies_circuit"."share_link" ("id", "token", "initiative_id", "member_id")
       values (?, ?, ?, ?) on conflict ("initiative_id", "member_id") do nothing`,
      [
        deterministicId('ies-share-link', initiative.id, member.id),
        randomBytes(16).toString('base64url'),
        initiative.id,
        member.id,
      ],
    );
    return em.fork().findOneOrFail(ShareLink, { initiativeId: initiative.id, memberId: member.id });
  }

  /** The member's links. */
  links(em: EntityManager, memberId: string): Promise<ShareLink[]> {
    return em.find(ShareLink, { memberId }, { orderBy: { createdAt: 'asc' } });
  }

  /**
   * A visit of a shared link (the portal's public landing): counted once per visitor per link and
   * day; every `visitsPerReward` distinct visits pay the SHARING rule to the link's owner. The
   * visitor is the client's network address as the gateway signed it into the request (so that a
   * script changing cookies does not count again), and only without one the portal's visitor
   * cookie; either is stored hashed, never in clear. The owner's own visits never count. Answers
   * where to go (the initiative) whatever happened; NOT_FOUND for an unknown link.
   */
  async recordVisit(
    em: EntityManager,
    token: string,
    visitorKey: string,
    from: { caller?: Caller; clientAddress?: string } = {},
  ): Promise<{ url: string; counted: boolean; rewarded: boolean }> {
    const link = /^[A-Za-z0-9_-]{10,64}$/.test(token)
      ? await em.findOne(ShareLink, { token })
      : null;
    const initiative = link ? await em.findOne(ShareInitiative, { id: link.initiativeId }) : null;
    if (!link || !initiative) {
      throw DomainError.notFound({ it: 'Link non trovato.', en: 'Link not found.' });
    }
    const key = (visitorKey ?? '').trim();
    if (key.length < 6 || key.length > 200) {
      throw DomainError.badInput([
        { field: 'visitorKey', message: { it: 'Visitatore non valido.', en: 'Invalid visitor.' } },
      ]);
    }
    const owner = await em.findOne(Member, { id: link.memberId });
    const caller = from.caller;
    if (caller?.kind === 'person' && caller.fiscalCode && caller.fiscalCode === owner?.fiscalCode) {
      return { url: initiative.url, counted: false, rewarded: false };
    }
    const visitor = from.clientAddress ? `address:${from.clientAddress}` : `cookie:${key}`;
    const at = this.now();
    const day = romeDay(at);
    try {
      return await em.fork().transactional(async (tx) => {
        const inserted = await tx.execute<{ link_id: string }[]>(
          `insert into "ies_circuit"."share_visit" ("link_id", "visitor_hash", "day")
           values (?, ?, ?) on conflict do nothing returning "link_id"`,
          [link.id, hashOf(link.id, visitor), day],
        );
        if (inserted.length === 0) return { url: initiative.url, counted: false, rewarded: false };
        const [{ visits }] = (await tx.execute<{ visits: number }[]>(
          `update "ies_circuit"."share_link" set "visits" = "visits" + 1 where "id" = ? returning "visits"`,
          [link.id],
        )) as [{ visits: number }];
        const [rule] = initiative.active
          ? await this.repo.inForce(tx, initiative.circuitId, 'SHARING', day)
          : [];
        if (!rule || Number(visits) % rule.visitsPerReward! !== 0) {
          return { url: initiative.url, counted: true, rewarded: false };
        }
        const member = await tx.findOneOrFail(Member, { id: link.memberId });
        if (member.status !== 'ACTIVE')
          return { url: initiative.url, counted: true, rewarded: false };
        const outcome = await this.reward(tx, {
          circuitId: initiative.circuitId,
          rule,
          member,
          source: `share:${link.id}:${visits}`,
          requestedCents: rule.amountCents!,
          description: { code: 'SHARING', params: { title: initiative.title, visits } },
          at,
          whenUnfunded: 'refuse',
        });
        return { url: initiative.url, counted: true, rewarded: outcome.status === 'PAID' };
      });
    } catch (err) {
      // An empty rewards fund: the visit is not counted (nothing written); the visitor still goes on.
      if (err instanceof DomainError && err.code === 'CONFLICT') {
        return { url: initiative.url, counted: false, rewarded: false };
      }
      throw err;
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  /**
   * The calling citizen's earning in a circuit: the rules in force with what they earned this
   * period and the cap left, their rewards, their links.
   */
  async mine(em: EntityManager, caller: Caller, code: string) {
    const circuit = await this.circuits.byCode(em, code);
    const { member } = await this.members.citizen(em, caller, circuit);
    const at = this.now();
    const day = romeDay(at);
    const rules = (await this.repo.rules(em, circuit.id)).filter(
      (r) => r.active && r.startsOn <= day && (!r.endsOn || r.endsOn >= day),
    );
    const earned = await this.repo.earnedNow(em, member.id, rules, at);
    return {
      circuit,
      member,
      rules: rules.map((rule) => ({
        rule,
        earnedCents: earned.get(rule.id) ?? 0,
        capLeftCents: Math.max(0, rule.capCents - (earned.get(rule.id) ?? 0)),
      })),
      rewards: await this.repo.rewards(em, { memberId: member.id }, 100),
      links: await this.links(em, member.id),
      initiatives: (await this.initiatives(em, circuit)).filter((i) => i.active),
    };
  }

  /** The rewards paid in the circuit, newest first (staff of the circuit). */
  async circuitRewards(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    limit: number,
  ): Promise<RewardRow[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.repo.rewards(em, { circuitId: circuit.id }, Math.min(Math.max(limit, 1), 500));
  }
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, type Caller, type Localized } from '@welfare/kit';
import { deterministicId } from '@welfare/kit/book';
import type { FundOffer, FundPerson, PayableDescription } from '@welfare/kit/contracts';
import { OutcomeUnknown, ServiceRefusal } from '@welfare/kit/service';
import type { Logger } from '@welfare/kit';
import {
  type CheckoutRepository,
  type CheckoutRow,
  type CheckoutStatus,
  type LegRow,
} from './checkout.repository.js';
import {
  PAYABLE_OWNERS,
  payableKindOf,
  type CardPort,
  type FundPort,
  type PayablePort,
} from './ports.js';
import {
  checkCardPart,
  chosenSplit,
  defaultSplit,
  refundSplit,
  type ChosenPart,
  type FundChoice,
  type SplitLeg,
} from './split.js';

/*
 * The checkout: one payable paid by the person's funds and, for the rest, a card (issue 15).
 *
 *   OPEN ──begin payable──▶ HOLDING ──hold each fund leg──▶ AWAITING_CARD ──card authorised──▶
 *   CAPTURING ──capture each fund leg, then the card, then complete the payable──▶ PAID
 *
 *   any refusal on the way (the payable taken, a fund short, a hold lapsed, the card declined or
 *   not paid in time) ──▶ RELEASING ──release holds, cancel the card, refund what was captured,
 *   abandon the payable──▶ FAILED
 *
 * Durable: the checkout and its legs are written (with their ids) before any call; every call is
 * idempotent by those ids (the fund contract by leg id, the card by leg id as Stripe's
 * idempotency key, refunds by refund id). One advancer at a time holds the checkout's lease; an
 * unknown outcome (a timeout, a crash, a dead owner) stops the advance where it is, and the
 * recovery job (`recover`) takes it up again: a checkout that dies half way is finished or undone,
 * and holds that nobody captures lapse on their own at `holdsUntil`.
 */

export interface CheckoutSettings {
  /** How long fund holds and the card page last (minutes): the time the person has to pay. */
  holdMinutes: number;
  /** How long one advance may hold a checkout before another may take it up (ms). */
  leaseMs: number;
  /** Stripe's minimum card charge in EUR (cents). */
  cardMinimumCents: number;
}

export interface CheckoutDependencies {
  /** The fund owners, by service name. */
  funds: Readonly<Record<string, FundPort>>;
  /** The payables' owners, by service name. */
  payables: Readonly<Record<string, PayablePort>>;
  card: CardPort;
  logger: Logger;
  now?: () => Date;
}

/** What a person can pay a payable with, and the split proposed. */
export interface CheckoutOptions {
  payable: PayableDescription;
  funds: FundChoice[];
  /** Fund owners that could not be asked now (their funds are missing from `funds`). */
  unavailableOwners: string[];
  cardAvailable: boolean;
  cardMinimumCents: number;
  proposed: SplitLeg[];
}

const CARD_LABEL: Localized = { it: 'Carta di pagamento', en: 'Payment card' };

const NOT_A_PERSON: Localized = {
  it: 'Accedi per pagare.',
  en: 'Log in to pay.',
};

function personOf(caller: Caller): FundPerson {
  if (caller.kind !== 'person') throw DomainError.unauthenticated(NOT_A_PERSON);
  return {
    personId: caller.personId,
    ...(caller.fiscalCode ? { fiscalCode: caller.fiscalCode } : {}),
  };
}

/** A payable that is not DUE cannot start a checkout: why, for the person. */
function notDue(state: PayableDescription['state']): DomainError {
  if (state === 'PAID') {
    return DomainError.conflict({
      it: 'Questo servizio è già pagato.',
      en: 'This service is already paid.',
    });
  }
  if (state === 'IN_PROGRESS') {
    return DomainError.conflict({
      it: 'Un pagamento di questo servizio è già in corso.',
      en: 'A payment of this service is already in progress.',
    });
  }
  return DomainError.conflict({
    it: 'Questo servizio non si può pagare: la prenotazione è scaduta, annullata o gratuita.',
    en: 'This service cannot be paid: the booking lapsed, was cancelled or is free.',
  });
}

const TERMINAL: readonly CheckoutStatus[] = ['PAID', 'FAILED'];

export class CheckoutService {
  private readonly now: () => Date;

  constructor(
    private readonly repository: CheckoutRepository,
    private readonly deps: CheckoutDependencies,
    private readonly settings: CheckoutSettings,
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  private payableOwner(ref: string): PayablePort {
    const owner = PAYABLE_OWNERS[payableKindOf(ref)];
    const port = owner ? this.deps.payables[owner] : undefined;
    if (!port) {
      throw DomainError.badInput([
        {
          field: 'payableRef',
          message: { it: 'Riferimento non valido.', en: 'Invalid reference.' },
        },
      ]);
    }
    return port;
  }

  /** Every fund owner's options for this person and offer; an owner that cannot answer is left out. */
  private async quotes(
    person: FundPerson,
    offer: FundOffer,
    amountCents: number,
  ): Promise<{ funds: FundChoice[]; unavailable: string[] }> {
    const owners = Object.entries(this.deps.funds);
    const answers = await Promise.allSettled(
      owners.map(([, port]) => port.quote(person, offer, amountCents)),
    );
    const funds: FundChoice[] = [];
    const unavailable: string[] = [];
    answers.forEach((answer, i) => {
      const owner = owners[i]![0];
      if (answer.status === 'fulfilled') {
        for (const option of answer.value.options) {
          if (option.spendableCents > 0) funds.push({ ...option, owner });
        }
      } else {
        unavailable.push(owner);
        this.deps.logger.warn({ owner, err: answer.reason as Error }, 'fund quote failed');
      }
    });
    return { funds, unavailable };
  }

  /** What the person can pay `payableRef` with, and the default split. */
  async options(em: EntityManager, caller: Caller, payableRef: string): Promise<CheckoutOptions> {
    const person = personOf(caller);
    const payable = await this.payableOwner(payableRef).describe(payableRef, person.personId);
    const [{ funds, unavailable }, cardAvailable] = await Promise.all([
      this.quotes(person, payable.offer, payable.amountCents),
      this.deps.card.available(em, payable.payee.organisationId),
    ]);
    const rules = { cardMinimumCents: this.settings.cardMinimumCents, cardAvailable };
    return {
      payable,
      funds,
      unavailableOwners: unavailable,
      cardAvailable,
      cardMinimumCents: this.settings.cardMinimumCents,
      proposed: defaultSplit(payable.amountCents, funds, rules),
    };
  }

  /**
   * Starts paying `payableRef` with the person's split (or the default one), under the client's
   * `checkoutId` (a retry with the same id answers the same checkout), then advances it as far as
   * it goes now: to AWAITING_CARD (the card page's URL is on the checkout) or PAID.
   */
  async start(
    em: EntityManager,
    caller: Caller,
    input: { checkoutId: string; payableRef: string; parts?: readonly ChosenPart[] | null },
  ): Promise<CheckoutRow> {
    const person = personOf(caller);
    const existing = await this.repository.find(em, input.checkoutId);
    if (existing) {
      if (existing.personId !== person.personId || existing.payableRef !== input.payableRef) {
        throw DomainError.conflict({
          it: 'Questo identificativo di pagamento è già usato.',
          en: 'This payment id is already in use.',
        });
      }
      return TERMINAL.includes(existing.status) ? existing : this.advance(em, existing.id, person);
    }
    const payables = this.payableOwner(input.payableRef);
    const payable = await payables.describe(input.payableRef, person.personId);
    if (payable.state !== 'DUE') throw notDue(payable.state);
    const [{ funds, unavailable }, cardAvailable] = await Promise.all([
      this.quotes(person, payable.offer, payable.amountCents),
      this.deps.card.available(em, payable.payee.organisationId),
    ]);
    // A chosen part of a fund whose owner did not answer is not bad input: try again shortly.
    if (input.parts?.some((p) => p.amountCents > 0 && unavailable.includes(p.owner))) {
      throw new DomainError('SERVICE_UNAVAILABLE', {
        it: 'Un fondo scelto non risponde in questo momento: riprova tra poco.',
        en: 'A chosen fund is not answering right now: try again shortly.',
      });
    }
    const rules = { cardMinimumCents: this.settings.cardMinimumCents, cardAvailable };
    const split = input.parts
      ? chosenSplit(payable.amountCents, funds, input.parts, rules)
      : defaultSplit(payable.amountCents, funds, rules);
    checkCardPart(split.find((l) => l.kind === 'CARD')?.amountCents ?? 0, rules);

    const byKey = new Map(funds.map((f) => [`${f.owner}/${f.fundId}`, f]));
    const inserted = await this.repository.insert(em, {
      id: input.checkoutId,
      payableRef: input.payableRef,
      personId: person.personId,
      payeeOrganisationId: payable.payee.organisationId,
      comuneId: payable.offer.comuneId,
      amountCents: payable.amountCents,
      descriptionIt: payable.description.it,
      descriptionEn: payable.description.en,
      holdsUntil: new Date(this.now().getTime() + this.settings.holdMinutes * 60_000),
      legs: split.map((leg, position) => {
        const fund = leg.kind === 'FUND' ? byKey.get(`${leg.owner}/${leg.fundId}`) : undefined;
        return {
          id: randomUUID(),
          position,
          kind: leg.kind,
          owner: leg.kind === 'FUND' ? leg.owner : null,
          fundId: leg.kind === 'FUND' ? leg.fundId : null,
          fundKind: fund?.kind ?? null,
          labelIt: (fund?.label ?? CARD_LABEL).it,
          labelEn: (fund?.label ?? CARD_LABEL).en,
          amountCents: leg.amountCents,
        };
      }),
    });
    if (!inserted) {
      const again = await this.repository.find(em, input.checkoutId);
      if (again?.personId === person.personId && again.payableRef === input.payableRef) {
        return again;
      }
      throw notDue('IN_PROGRESS');
    }
    return this.advance(em, input.checkoutId, person);
  }

  /** A checkout as its person or its payee's members may see it. */
  async view(em: EntityManager, caller: Caller, id: string): Promise<CheckoutRow> {
    const row = await this.repository.find(em, id);
    if (!row || !this.maySee(caller, row)) {
      throw DomainError.notFound({ it: 'Pagamento non trovato.', en: 'Payment not found.' });
    }
    return row;
  }

  /** The logged-in person's checkouts, newest first (at most 100). */
  mine(em: EntityManager, caller: Caller): Promise<CheckoutRow[]> {
    const person = personOf(caller);
    return this.repository.ofPerson(em, person.personId, 100);
  }

  /** A payee's checkouts, newest first (at most 100): its admins and platform admins only. */
  ofPayee(em: EntityManager, caller: Caller, organisationId: string): Promise<CheckoutRow[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const admin =
      caller.platformAdmin ||
      caller.memberships.some((m) => m.organisationId === organisationId && m.role === 'ADMIN');
    if (!admin) throw DomainError.forbidden();
    return this.repository.ofPayee(em, organisationId, 100);
  }

  private maySee(caller: Caller, row: CheckoutRow): boolean {
    if (caller.kind !== 'person') return false;
    if (caller.personId === row.personId || caller.platformAdmin) return true;
    return caller.memberships.some(
      (m) => m.organisationId === row.payeeOrganisationId && m.role === 'ADMIN',
    );
  }

  legs(em: EntityManager, checkoutIds: readonly string[]): Promise<LegRow[]> {
    return this.repository.legsOf(em, checkoutIds);
  }

  /**
   * Advances the checkout as far as it can go now, under its lease (another advancer holding it:
   * answers the checkout as it is). Stops at the first unknown outcome (the recovery job retries).
   * Holding funds needs the paying `person` (fund owners find the person's funds by codice fiscale,
   * which payments does not keep): an advance without the person (the recovery job, a webhook)
   * undoes a checkout still holding instead.
   */
  async advance(em: EntityManager, id: string, person?: FundPerson): Promise<CheckoutRow> {
    const token = randomUUID();
    if (!(await this.repository.lease(em, id, token, this.settings.leaseMs))) {
      const row = await this.repository.find(em, id);
      if (!row) throw DomainError.notFound();
      return row;
    }
    try {
      for (let steps = 0; steps < 10; steps++) {
        const row = (await this.repository.find(em, id))!;
        if (TERMINAL.includes(row.status)) return row;
        const moved = await this.step(em, row, person);
        if (!moved) return (await this.repository.find(em, id))!;
      }
      return (await this.repository.find(em, id))!;
    } catch (err) {
      if (err instanceof OutcomeUnknown) {
        this.deps.logger.warn({ checkoutId: id, err }, 'checkout step outcome unknown; will retry');
        return (await this.repository.find(em, id))!;
      }
      throw err;
    } finally {
      await this.repository.unlease(em, id, token).catch(() => undefined);
    }
  }

  /** One step of the machine; true when the checkout moved on (another step may follow). */
  private async step(em: EntityManager, row: CheckoutRow, person?: FundPerson): Promise<boolean> {
    const legs = await this.repository.legs(em, row.id);
    const expired = this.now() >= row.holdsUntil;
    switch (row.status) {
      case 'OPEN':
        return this.begin(em, row);
      case 'HOLDING':
        if (!person || person.personId !== row.personId) return this.fail(em, row, 'INTERRUPTED');
        return this.hold(em, row, legs, person, expired);
      case 'AWAITING_CARD':
        return this.awaitCard(em, row, legs, expired);
      case 'CAPTURING':
        return this.capture(em, row, legs);
      case 'RELEASING':
        return this.release(em, row, legs);
      default:
        return false;
    }
  }

  private fail(em: EntityManager, row: CheckoutRow, reason: string): Promise<boolean> {
    return this.repository.move(em, row.id, [row.status], 'RELEASING', { failureReason: reason });
  }

  private async begin(em: EntityManager, row: CheckoutRow): Promise<boolean> {
    try {
      await this.payableOwner(row.payableRef).begin({
        ref: row.payableRef,
        checkoutId: row.id,
        personId: row.personId,
        amountCents: row.amountCents,
        until: row.holdsUntil,
      });
    } catch (err) {
      if (err instanceof ServiceRefusal)
        return this.fail(em, row, `PAYABLE_${err.reason ?? err.code}`);
      throw err;
    }
    return this.repository.move(em, row.id, ['OPEN'], 'HOLDING');
  }

  private async hold(
    em: EntityManager,
    row: CheckoutRow,
    legs: LegRow[],
    person: FundPerson,
    expired: boolean,
  ): Promise<boolean> {
    if (expired) return this.fail(em, row, 'TIME_OUT');
    const description = await this.payableOwner(row.payableRef).describe(
      row.payableRef,
      row.personId,
    );
    for (const leg of legs.filter((l) => l.kind === 'FUND' && l.status === 'PLANNED')) {
      try {
        await this.fund(leg).hold({
          legId: leg.id,
          checkoutId: row.id,
          fundId: leg.fundId!,
          person,
          offer: description.offer,
          amountCents: leg.amountCents,
          expiresAt: row.holdsUntil,
        });
      } catch (err) {
        if (err instanceof ServiceRefusal)
          return this.fail(em, row, `FUND_${err.reason ?? err.code}`);
        throw err;
      }
      await this.repository.setLeg(em, leg.id, 'HELD');
    }
    const card = legs.find((l) => l.kind === 'CARD');
    if (!card) return this.repository.move(em, row.id, ['HOLDING'], 'CAPTURING');
    let url: string;
    try {
      ({ url } = await this.deps.card.open(em, {
        legId: card.id,
        amountCents: card.amountCents,
        payeeOrganisationId: row.payeeOrganisationId,
        description: row.descriptionIt.slice(0, 200),
        expiresAt: row.holdsUntil,
      }));
    } catch (err) {
      if (err instanceof DomainError) return this.fail(em, row, 'CARD_UNAVAILABLE');
      throw err;
    }
    return this.repository.move(em, row.id, ['HOLDING'], 'AWAITING_CARD', { cardUrl: url });
  }

  private async awaitCard(
    em: EntityManager,
    row: CheckoutRow,
    legs: LegRow[],
    expired: boolean,
  ): Promise<boolean> {
    const card = legs.find((l) => l.kind === 'CARD')!;
    const state = await this.deps.card.state(em, card.id);
    if (state === 'AUTHORISED' || state === 'CAPTURED') {
      await this.repository.setLeg(
        em,
        card.id,
        state === 'CAPTURED' ? 'CAPTURED' : 'AUTHORISED',
        state === 'CAPTURED' ? card.amountCents : undefined,
      );
      return this.repository.move(em, row.id, ['AWAITING_CARD'], 'CAPTURING');
    }
    if (state === 'FAILED') return this.fail(em, row, 'CARD_DECLINED');
    if (expired) {
      await this.deps.card.cancel(em, card.id);
      return this.fail(em, row, 'TIME_OUT');
    }
    return false;
  }

  private async capture(em: EntityManager, row: CheckoutRow, legs: LegRow[]): Promise<boolean> {
    for (const leg of legs.filter((l) => l.kind === 'FUND' && l.status === 'HELD')) {
      try {
        await this.fund(leg).capture(leg.id);
      } catch (err) {
        if (err instanceof ServiceRefusal)
          return this.fail(em, row, `FUND_${err.reason ?? err.code}`);
        throw err;
      }
      await this.repository.setLeg(em, leg.id, 'CAPTURED', leg.amountCents);
    }
    const card = legs.find((l) => l.kind === 'CARD');
    if (card && card.status !== 'CAPTURED') {
      try {
        await this.deps.card.capture(em, card.id);
      } catch (err) {
        if (err instanceof DomainError) return this.fail(em, row, 'CARD_CAPTURE_REFUSED');
        throw err;
      }
      await this.repository.setLeg(em, card.id, 'CAPTURED', card.amountCents);
    }
    try {
      await this.payableOwner(row.payableRef).complete(row.payableRef, row.id);
    } catch (err) {
      // The payable is no longer this checkout's (another took it after `holdsUntil`): every
      // captured leg goes back (RELEASING refunds them), nothing is kept for a service not sold.
      if (err instanceof ServiceRefusal)
        return this.fail(em, row, `PAYABLE_${err.reason ?? err.code}`);
      throw err;
    }
    return this.repository.move(em, row.id, ['CAPTURING'], 'PAID');
  }

  /** Undoes every leg (each call idempotent), then lets the payable go: FAILED. */
  private async release(em: EntityManager, row: CheckoutRow, legs: LegRow[]): Promise<boolean> {
    for (const leg of legs) {
      if (leg.status === 'RELEASED' || leg.status === 'FAILED') continue;
      if (leg.kind === 'FUND') {
        if (leg.status === 'CAPTURED') {
          await this.fund(leg).refund(
            leg.id,
            legRefundId('undo', leg.id),
            leg.capturedCents - leg.refundedCents,
          );
        } else {
          await this.fund(leg).release(leg.id);
        }
      } else if (leg.status === 'CAPTURED') {
        await this.deps.card.refund(
          em,
          leg.id,
          legRefundId('undo', leg.id),
          leg.capturedCents - leg.refundedCents,
        );
      } else {
        await this.deps.card.cancel(em, leg.id);
      }
      await this.repository.setLeg(em, leg.id, 'RELEASED');
    }
    try {
      await this.payableOwner(row.payableRef).abandon(row.payableRef, row.id);
    } catch (err) {
      // A payable that refuses to be abandoned (never begun by this checkout) has nothing to undo.
      if (!(err instanceof ServiceRefusal)) throw err;
    }
    return this.repository.move(em, row.id, ['RELEASING'], 'FAILED');
  }

  private fund(leg: LegRow): FundPort {
    const port = leg.owner ? this.deps.funds[leg.owner] : undefined;
    if (!port) throw new Error(`No fund owner ${leg.owner ?? '(none)'} for leg ${leg.id}`);
    return port;
  }

  /**
   * Refunds `amountCents` of a PAID checkout (all of what remains when absent), split over its legs
   * in proportion to what each paid (split.ts), each leg back where it came from; with `cancel` the
   * payable is cancelled too. The payee's admins may refund; the person may cancel with a full
   * refund. Idempotent by `refundId`.
   */
  async refund(
    em: EntityManager,
    caller: Caller,
    input: {
      checkoutId: string;
      refundId: string;
      amountCents?: number | null;
      reason?: string | null;
      cancel: boolean;
    },
  ): Promise<CheckoutRow> {
    const row = await this.view(em, caller, input.checkoutId);
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const isPayee = caller.memberships.some(
      (m) => m.organisationId === row.payeeOrganisationId && m.role === 'ADMIN',
    );
    if (row.status !== 'PAID') {
      throw DomainError.conflict({
        it: 'Si può rimborsare solo un pagamento completato.',
        en: 'Only a completed payment can be refunded.',
      });
    }
    const legs = await this.repository.legs(em, row.id);
    const remaining = legs.reduce((a, l) => a + l.capturedCents - l.refundedCents, 0);
    const amount = input.amountCents ?? remaining;
    if (!isPayee && !caller.platformAdmin && (amount !== remaining || !input.cancel)) {
      throw DomainError.forbidden({
        it: 'Puoi solo annullare la prenotazione con il rimborso completo.',
        en: 'You can only cancel the booking with a full refund.',
      });
    }
    const reason = input.reason?.trim() || null;
    if (reason !== null && reason.length > 500) {
      throw DomainError.badInput([
        {
          field: 'reason',
          message: {
            it: 'Il motivo può avere al massimo 500 caratteri.',
            en: 'The reason can be at most 500 characters.',
          },
        },
      ]);
    }
    const existing = await this.repository.refund(em, input.refundId);
    if (!existing && !isPayee && !caller.platformAdmin) {
      // The person cancels within the payable owner's policy only (the payee may at any time).
      const payable = await this.payableOwner(row.payableRef).describe(
        row.payableRef,
        row.personId,
      );
      const until = payable.cancellableUntil ? new Date(payable.cancellableUntil) : null;
      if (!until || this.now() >= until) {
        throw DomainError.conflict({
          it: 'Il termine per annullare è passato: per un rimborso scrivi all’ente.',
          en: 'The time to cancel has passed: write to the provider for a refund.',
        });
      }
    }
    if (!existing) {
      const split = refundSplit(
        amount,
        legs.map((l) => ({
          id: l.id,
          capturedCents: l.capturedCents,
          refundedCents: l.refundedCents,
        })),
      );
      await this.repository.insertRefund(
        em,
        {
          id: input.refundId,
          checkoutId: row.id,
          amountCents: amount,
          cancel: input.cancel,
          requestedBy: caller.personId,
          reason,
        },
        split,
      );
    } else if (existing.checkoutId !== row.id) {
      throw DomainError.conflict({
        it: 'Questo identificativo di rimborso è già usato.',
        en: 'This refund id is already in use.',
      });
    }
    await this.finishRefund(em, input.refundId);
    return (await this.repository.find(em, row.id))!;
  }

  /** Carries a recorded refund out, leg by leg (each idempotent by the refund id). */
  async finishRefund(em: EntityManager, refundId: string): Promise<void> {
    const refund = await this.repository.refund(em, refundId);
    if (!refund || refund.status === 'DONE') return;
    const row = (await this.repository.find(em, refund.checkoutId))!;
    const legs = new Map((await this.repository.legs(em, row.id)).map((l) => [l.id, l]));
    for (const part of await this.repository.refundLegs(em, refundId)) {
      if (part.done) continue;
      const leg = legs.get(part.legId)!;
      const key = legRefundId(refundId, leg.id);
      if (leg.kind === 'FUND') {
        try {
          await this.fund(leg).refund(leg.id, key, part.amountCents);
        } catch (err) {
          // A fund owner refusing before any part moved (the Comune already paid the provider):
          // the refund is forgotten and its refusal is the answer; nothing was given back.
          if (
            err instanceof ServiceRefusal &&
            (await this.repository.dropUntouchedRefund(em, refundId))
          )
            throw DomainError.conflict(err.localized);
          throw err;
        }
      } else await this.deps.card.refund(em, leg.id, key, part.amountCents);
      await this.repository.refundLegDone(em, refundId, part.legId);
    }
    await this.payableOwner(row.payableRef).refunded({
      ref: row.payableRef,
      checkoutId: row.id,
      refundId,
      amountCents: refund.amountCents,
      cancel: refund.cancel,
    });
    await this.repository.refundDone(em, refundId);
  }

  /**
   * The person gives up paying (the card page's cancel link, or a declined card they do not
   * retry): a checkout not yet authorised is undone (holds released, the card page closed, the
   * payable due again). CONFLICT once the card is authorised or the checkout is taken on by
   * another step right now (try again).
   */
  async cancel(em: EntityManager, caller: Caller, id: string): Promise<CheckoutRow> {
    const row = await this.view(em, caller, id);
    if (caller.kind !== 'person' || caller.personId !== row.personId) {
      throw DomainError.forbidden({
        it: 'Solo chi paga può annullare il pagamento.',
        en: 'Only the payer can cancel the payment.',
      });
    }
    if (TERMINAL.includes(row.status) || row.status === 'RELEASING') return this.advance(em, id);
    const token = randomUUID();
    const busy = DomainError.conflict({
      it: 'Il pagamento è in corso di completamento: riprova tra poco.',
      en: 'The payment is being completed: try again shortly.',
    });
    if (!(await this.repository.lease(em, id, token, this.settings.leaseMs))) throw busy;
    try {
      const moved = await this.repository.move(
        em,
        id,
        ['OPEN', 'HOLDING', 'AWAITING_CARD'],
        'RELEASING',
        { failureReason: 'CANCELLED' },
      );
      if (!moved) throw busy;
    } finally {
      await this.repository.unlease(em, id, token);
    }
    return this.advance(em, id);
  }

  /** Takes on the checkout a card payment (its card leg) belongs to, after Stripe's notice. */
  async advanceForCardPayment(em: EntityManager, cardPaymentId: string): Promise<void> {
    const checkoutId = await this.repository.checkoutOfLeg(em, cardPaymentId);
    if (checkoutId) await this.advance(em, checkoutId);
  }

  /**
   * The recovery job's pass: advances every unfinished checkout untouched for `idleMs` (a request
   * that died, a webhook that never came, a hold that must lapse), and finishes pending refunds.
   * Answers how many it took up.
   */
  async recover(em: EntityManager, idleMs: number, limit = 50): Promise<number> {
    const ids = await this.repository.unfinished(em, idleMs, limit);
    for (const id of ids) {
      try {
        await this.advance(em.fork(), id);
      } catch (err) {
        this.deps.logger.error({ checkoutId: id, err: err as Error }, 'checkout recovery failed');
      }
    }
    return ids.length;
  }
}

/**
 * The id of one leg's part of a refund, the same on every retry: a uuid (v8 layout) from the refund
 * (`undo` for undoing a failed checkout) and the leg. Each fund owner and Stripe keys the refund on
 * it, so two legs of one refund never share a key.
 */
export function legRefundId(refundId: string, legId: string): string {
  return deterministicId(refundId, legId);
}

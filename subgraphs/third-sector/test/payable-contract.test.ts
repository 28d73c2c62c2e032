import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type PersonCaller } from '@welfare/kit';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import { PAYABLE_PATHS, payableDescription } from '@welfare/kit/contracts';
import { romeDay, romeDayStart } from '@welfare/kit/dates';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { payableRoutes } from '../src/modules/offer-booking/offer-booking.payable-routes.js';
import {
  COMUNE_A,
  PROVIDER_P,
  PROVIDER_R,
  errorCode,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { CREATE, EVERY_DAY, PUBLISH, accredit, offerInput, openDay } from './offer-fixtures.js';

/*
 * The payable contract of offer bookings, through the subgraph's real internal routes (HTTP,
 * service tokens) on a real database: what the payments subgraph will call.
 */

let suite: Suite;
let subgraph: RunningSubgraph;
let keys: Record<'payments' | 'identity', { privateKey: string; publicKey: string }>;
let gatewayKeys: { privateKey: string; publicKey: string };
/** The services' clock runs `offsetMs` ahead of the real one (to let times to pay pass). */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const adminR = member(PROVIDER_R, 'COOPERATIVE', 'ADMIN');

let serial = 0;
function citizen(): PersonCaller {
  serial += 1;
  return {
    kind: 'person',
    personId: randomUUID(),
    sessionId: randomUUID(),
    platformAdmin: false,
    memberships: [],
    fiscalCode: `VRDLGU85B02H${String(serial).padStart(3, '0')}Y`,
  };
}

const NEXT_WEEK = openDay(romeDay(new Date()), 7);

const BOOKING = `id status paymentStatus payBy paidAt refundedCents amountDueCents cancellable`;
const BOOK = `mutation($input: BookOfferInput!) { bookOffer(input: $input) { ${BOOKING} } }`;
const ONE = `query($id: ID!) { offerBooking(id: $id) { ${BOOKING} } }`;
const CANCEL = `mutation($id: ID!) { cancelOfferBooking(id: $id) { ${BOOKING} } }`;
const DECLINE = `mutation($id: ID!, $reason: String!) { declineOfferBooking(id: $id, reason: $reason) { id } }`;

interface BookingOut {
  id: string;
  status: string;
  paymentStatus: string;
  payBy: string | null;
  paidAt: string | null;
  refundedCents: number;
  amountDueCents: number;
  cancellable: boolean;
}

function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

async function publishedOffer(
  overrides: Record<string, unknown> = {},
  caller = adminP,
  providerId = PROVIDER_P,
): Promise<string> {
  const created = ok<{ id: string }>(
    await suite.run(
      CREATE,
      { providerId, comuneId: COMUNE_A, input: offerInput({ schedule: EVERY_DAY, ...overrides }) },
      caller,
    ),
    'createOffer',
  );
  ok(await suite.run(PUBLISH, { id: created.id }, caller), 'publishOffer');
  return created.id;
}

function bookResult(who: PersonCaller, offerId: string, quantity = 2): Promise<ExecutionResult> {
  return suite.run(
    BOOK,
    {
      input: {
        offerId,
        serviceDate: NEXT_WEEK,
        quantity,
        note: null,
        idempotencyKey: `key-${randomUUID()}`,
        contactPhone: '3331234567',
      },
    },
    who,
  );
}

async function book(who: PersonCaller, offerId: string, quantity = 2): Promise<BookingOut> {
  return ok<BookingOut>(await bookResult(who, offerId, quantity), 'bookOffer');
}

async function bookingOf(who: PersonCaller, id: string): Promise<BookingOut> {
  return ok<BookingOut>(await suite.run(ONE, { id }, who), 'offerBooking');
}

const client = (service: 'payments' | 'identity' = 'payments') =>
  new ServiceClient({
    service,
    privateKey: keys[service].privateKey,
    audience: 'third-sector',
    baseUrl: subgraph.url,
  });

const ref = (bookingId: string) => `offer-booking:${bookingId}`;
const call = (path: string, body: unknown, service: 'payments' | 'identity' = 'payments') =>
  client(service).call(path, body, payableDescription);
const refusal = (promise: Promise<unknown>) => promise.then(() => null).catch((e: unknown) => e);

const describeFor = (bookingId: string, personId: string) =>
  call(PAYABLE_PATHS.describe, { ref: ref(bookingId), personId });
const begin = (b: BookingOut, who: PersonCaller, checkoutId: string, untilMinutes = 15) =>
  call(PAYABLE_PATHS.begin, {
    ref: ref(b.id),
    checkoutId,
    personId: who.personId,
    amountCents: b.amountDueCents,
    until: new Date(now().getTime() + untilMinutes * 60_000).toISOString(),
  });
const complete = (b: BookingOut, checkoutId: string) =>
  call(PAYABLE_PATHS.complete, { ref: ref(b.id), checkoutId });
const abandon = (b: BookingOut, checkoutId: string) =>
  call(PAYABLE_PATHS.abandon, { ref: ref(b.id), checkoutId });
const refunded = (
  b: BookingOut,
  checkoutId: string,
  refundId: string,
  amountCents: number,
  cancel: boolean,
) => call(PAYABLE_PATHS.refunded, { ref: ref(b.id), checkoutId, refundId, amountCents, cancel });

/** A booking as stored (every column the contract moves). */
async function row(id: string) {
  const [r] = await suite.sql<Record<string, unknown>>(
    `select status, payment_status, pay_by, checkout_id, checkout_until, paid_at, refunded_cents
       from third_sector.offer_booking where id = ?`,
    [id],
  );
  return r!;
}

let priced: string; // PER_HOUR 12.50 €, GROUP of 200
let ofR: string; // provider R's offer (R's accreditation suspended below)
let rBooker: PersonCaller;
let rBooking: BookingOut;

beforeAll(async () => {
  suite = await setupSuite('payable', { now });
  await accredit(suite, PROVIDER_P, COMUNE_A);
  const accreditationR = await accredit(suite, PROVIDER_R, COMUNE_A);
  priced = await publishedOffer({ capacity: 200 });
  ofR = await publishedOffer({ title: 'Offerta di R' }, adminR, PROVIDER_R);
  keys = { payments: await generateGatewayKeys(), identity: await generateGatewayKeys() };
  gatewayKeys = await generateGatewayKeys();
  subgraph = await startSubgraph({
    name: 'third-sector',
    schema: suite.schema,
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: gatewayKeys.publicKey,
    logger: createLogger('third-sector', 'silent'),
    internal: {
      publicKeys: { payments: keys.payments.publicKey, identity: keys.identity.publicKey },
      routes: payableRoutes(suite.orm, suite.services.payables),
    },
  });
  // R's booking is made while R is accredited; R is suspended afterwards.
  rBooker = citizen();
  rBooking = await book(rBooker, ofR, 1);
  await suite.services.accreditations.suspend(
    suite.orm.em.fork(),
    member(COMUNE_A, 'COMUNE', 'MANAGER'),
    accreditationR,
    'Verifica in corso sui requisiti',
  );
});
afterEach(() => {
  offsetMs = 0;
});
afterAll(async () => {
  await subgraph?.stop();
  await suite?.close();
});

describe('describe', () => {
  it('tells the booker what is owed, to whom, for what, and until when', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 3);
    expect(booking).toMatchObject({ paymentStatus: 'PAYMENT_DUE', amountDueCents: 3750 });
    const described = await describeFor(booking.id, mario.personId);
    expect(described).toEqual({
      ref: ref(booking.id),
      state: 'DUE',
      amountCents: 3750,
      description: {
        it: expect.stringContaining('3 ore') as string,
        en: expect.stringContaining('3 hours') as string,
      },
      personId: mario.personId,
      payee: { organisationId: PROVIDER_P, name: expect.any(String) as string },
      offer: {
        payableRef: ref(booking.id),
        offerId: priced,
        comuneId: COMUNE_A,
        providerId: PROVIDER_P,
        category: 'EDUCATION',
        providerAccredited: true,
      },
      payBy: new Date(booking.payBy!).toISOString(),
      checkoutId: null,
      // The citizen may cancel until the day of the service begins in Rome.
      cancellableUntil: romeDayStart(NEXT_WEEK).toISOString(),
    });
    expect(described.description.it).toMatch(
      /^Doposcuola e aiuto compiti, \d\d\/\d\d\/\d{4}, 3 ore$/,
    );
  });

  it('answers NOT_FOUND for another person, an unknown booking, another kind of payable', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    for (const [bookingRef, personId] of [
      [ref(booking.id), citizen().personId],
      [ref(randomUUID()), mario.personId],
      [`tutoring-booking:${booking.id}`, mario.personId],
    ] as const) {
      const refused = await refusal(call(PAYABLE_PATHS.describe, { ref: bookingRef, personId }));
      expect(refused).toBeInstanceOf(ServiceRefusal);
      expect(refused).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    }
  });

  it('says whether the provider is accredited with the offer’s Comune today', async () => {
    const described = await describeFor(rBooking.id, rBooker.personId);
    expect(described.offer.providerAccredited).toBe(false);
    expect(described.payee.organisationId).toBe(PROVIDER_R);
  });
});

describe('begin, complete, abandon', () => {
  it('a checkout begins, completes (PAID), and every step is idempotent', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    const c1 = randomUUID();
    const begun = await begin(booking, mario, c1);
    expect(begun).toMatchObject({ state: 'IN_PROGRESS', checkoutId: c1 });
    expect(await begin(booking, mario, c1)).toMatchObject({ state: 'IN_PROGRESS', checkoutId: c1 });
    expect(await bookingOf(mario, booking.id)).toMatchObject({
      paymentStatus: 'PAYMENT_IN_PROGRESS',
      cancellable: false,
    });

    const other = await refusal(begin(booking, mario, randomUUID()));
    expect(other).toMatchObject({ code: 'CONFLICT', reason: 'PAYMENT_IN_PROGRESS' });
    expect(await refusal(complete(booking, randomUUID()))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });

    const paid = await complete(booking, c1);
    expect(paid).toMatchObject({ state: 'PAID', checkoutId: c1 });
    const stored = await row(booking.id);
    expect(await complete(booking, c1)).toMatchObject({ state: 'PAID', checkoutId: c1 });
    expect(await abandon(booking, c1)).toMatchObject({ state: 'PAID', checkoutId: c1 });
    expect(await begin(booking, mario, c1)).toMatchObject({ state: 'PAID' });
    expect(await row(booking.id)).toEqual(stored);
    expect(stored).toMatchObject({ payment_status: 'PAID', checkout_id: c1, checkout_until: null });

    expect(await refusal(begin(booking, mario, randomUUID()))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });
    const seen = await bookingOf(mario, booking.id);
    expect(seen).toMatchObject({ paymentStatus: 'PAID', status: 'REQUESTED', cancellable: false });
    expect(seen.paidAt).not.toBeNull();
  });

  it('refuses a begin of another amount or by another person, changing nothing', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    const before = await row(booking.id);
    const amount = await refusal(
      begin({ ...booking, amountDueCents: booking.amountDueCents - 1 }, mario, randomUUID()),
    );
    expect(amount).toMatchObject({ code: 'CONFLICT', reason: 'NOT_PAYABLE' });
    expect(await refusal(begin(booking, citizen(), randomUUID()))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const late = await refusal(begin(booking, mario, randomUUID(), 61));
    expect(late).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((late as ServiceRefusal).fields.map((f) => f.field)).toEqual(['until']);
    expect(await row(booking.id)).toEqual(before);
  });

  it('abandon makes it due again; a stale checkout’s abandon or complete changes nothing', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    const c1 = randomUUID();
    await begin(booking, mario, c1);
    expect(await abandon(booking, c1)).toMatchObject({ state: 'DUE', checkoutId: null });
    expect(await abandon(booking, c1)).toMatchObject({ state: 'DUE' });
    const c2 = randomUUID();
    expect(await begin(booking, mario, c2)).toMatchObject({ state: 'IN_PROGRESS', checkoutId: c2 });
    expect(await abandon(booking, c1)).toMatchObject({ state: 'IN_PROGRESS', checkoutId: c2 });
    expect(await refusal(complete(booking, c1))).toMatchObject({ reason: 'NOT_PAYABLE' });
    expect(await complete(booking, c2)).toMatchObject({ state: 'PAID', checkoutId: c2 });
  });

  it('another checkout may take over once the first one’s limit passed', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    const c1 = randomUUID();
    await begin(booking, mario, c1, 2);
    offsetMs = 3 * 60_000;
    expect(await describeFor(booking.id, mario.personId)).toMatchObject({
      state: 'DUE',
      checkoutId: null,
    });
    const c2 = randomUUID();
    expect(await begin(booking, mario, c2)).toMatchObject({ state: 'IN_PROGRESS', checkoutId: c2 });
    expect(await refusal(complete(booking, c1))).toMatchObject({ reason: 'NOT_PAYABLE' });
    expect(await row(booking.id)).toMatchObject({ checkout_id: c2 });
  });

  it('50 concurrent begins of different checkouts: exactly one wins', async () => {
    const mario = citizen();
    const booking = await book(mario, priced);
    const checkouts = Array.from({ length: 50 }, () => randomUUID());
    const outcomes = await Promise.allSettled(checkouts.map((c) => begin(booking, mario, c)));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [checkouts[i]!] : []));
    expect(won).toHaveLength(1);
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(lost).toHaveLength(49);
    for (const o of lost)
      expect(o.reason).toMatchObject({
        code: 'CONFLICT',
        reason: 'PAYMENT_IN_PROGRESS',
      });
    expect(await row(booking.id)).toMatchObject({
      payment_status: 'PAYMENT_IN_PROGRESS',
      checkout_id: won[0],
    });
  });
});

describe('refunded', () => {
  it('records each refund once, never beyond the amount, and cancels with the last one', async () => {
    const offer = await publishedOffer({
      title: 'Un posto solo',
      format: 'INDIVIDUAL',
      capacity: 1,
    });
    const mario = citizen();
    const booking = await book(mario, offer, 2); // 25.00 €
    const c1 = randomUUID();
    await begin(booking, mario, c1);
    await complete(booking, c1);
    expect(errorCode(await bookResult(citizen(), offer))).toBe('CONFLICT');

    const r1 = randomUUID();
    expect(await refusal(refunded(booking, randomUUID(), r1, 1000, false))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });
    expect(await refunded(booking, c1, r1, 1000, false)).toMatchObject({ state: 'PAID' });
    expect(await refunded(booking, c1, r1, 1000, false)).toMatchObject({ state: 'PAID' });
    expect(await row(booking.id)).toMatchObject({
      payment_status: 'PARTIALLY_REFUNDED',
      refunded_cents: '1000',
      status: 'REQUESTED',
    });
    expect(await refusal(refunded(booking, c1, r1, 999, false))).toMatchObject({
      code: 'CONFLICT',
    });
    const over = await refusal(refunded(booking, c1, randomUUID(), 1501, true));
    expect(over).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((over as ServiceRefusal).fields.map((f) => f.field)).toEqual(['amountCents']);
    expect(await suite.count('offer_booking_refund', { booking_id: booking.id })).toBe(1);

    const r2 = randomUUID();
    expect(await refunded(booking, c1, r2, 1500, true)).toMatchObject({
      cancellableUntil: null,
    });
    await refunded(booking, c1, r2, 1500, true);
    expect(await bookingOf(mario, booking.id)).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      refundedCents: 2500,
    });
    expect(await suite.count('offer_booking_refund', { booking_id: booking.id })).toBe(2);
    // The place is free again.
    await book(citizen(), offer, 1);
  });
});

describe('time to pay', () => {
  it('a lapsed booking is NOT_PAYABLE and its place is free again', async () => {
    const offer = await publishedOffer({
      title: 'Posto conteso',
      format: 'INDIVIDUAL',
      capacity: 1,
    });
    const mario = citizen();
    const booking = await book(mario, offer, 1);
    expect(errorCode(await bookResult(citizen(), offer, 1))).toBe('CONFLICT');
    offsetMs = 31 * 60_000;
    expect(await describeFor(booking.id, mario.personId)).toMatchObject({ state: 'NOT_PAYABLE' });
    // The next booking of the day finds the place free (the lapse is recorded on the way).
    const luigi = citizen();
    const next = await book(luigi, offer, 1);
    expect(await row(booking.id)).toMatchObject({ status: 'EXPIRED', payment_status: 'UNPAID' });
    expect(await refusal(begin(booking, mario, randomUUID()))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });
    expect(await bookingOf(mario, booking.id)).toMatchObject({
      status: 'EXPIRED',
      paymentStatus: 'UNPAID',
      cancellable: false,
    });
    expect(await describeFor(next.id, luigi.personId)).toMatchObject({ state: 'DUE' });
  });

  it('a begin after the time to pay lapses the booking; the job lapses the rest', async () => {
    const mario = citizen();
    const late = await book(mario, priced, 1);
    const luigi = citizen();
    const forgotten = await book(luigi, priced, 1);
    offsetMs = 31 * 60_000;
    expect(await refusal(begin(late, mario, randomUUID()))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });
    expect(await row(late.id)).toMatchObject({ status: 'EXPIRED', payment_status: 'UNPAID' });
    expect(
      await suite.services.offerBookings.lapseOverdue(suite.orm.em.fork(), 100),
    ).toBeGreaterThanOrEqual(1);
    expect(await row(forgotten.id)).toMatchObject({ status: 'EXPIRED', payment_status: 'UNPAID' });
  });

  it('a booking being paid does not lapse before its checkout’s limit', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    offsetMs = 25 * 60_000;
    const c1 = randomUUID();
    await begin(booking, mario, c1, 20);
    offsetMs = 35 * 60_000; // past payBy, before the checkout's limit
    await suite.services.offerBookings.lapseOverdue(suite.orm.em.fork(), 100);
    expect(await row(booking.id)).toMatchObject({ payment_status: 'PAYMENT_IN_PROGRESS' });
    expect(await complete(booking, c1)).toMatchObject({ state: 'PAID' });
  });

  it('an abandoned checkout past the time to pay lapses the booking', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    offsetMs = 25 * 60_000;
    const c1 = randomUUID();
    await begin(booking, mario, c1, 20);
    offsetMs = 35 * 60_000;
    expect(await abandon(booking, c1)).toMatchObject({ state: 'NOT_PAYABLE' });
    expect(await row(booking.id)).toMatchObject({ status: 'EXPIRED', payment_status: 'UNPAID' });
  });
});

describe('cancelling and declining through GraphQL', () => {
  it('refuses the citizen’s cancellation of a paid booking (the refund goes through payments)', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    const c1 = randomUUID();
    await begin(booking, mario, c1);
    const during = await suite.run(CANCEL, { id: booking.id }, mario);
    expect(errorCode(during)).toBe('CONFLICT');
    expect(during.errors![0]!.message).toMatch(/being paid/);
    await complete(booking, c1);
    const before = await row(booking.id);
    const refused = await suite.run(CANCEL, { id: booking.id }, mario);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0]!.message).toMatch(/refund.*payments/);
    expect(
      errorCode(await suite.run(DECLINE, { id: booking.id, reason: 'Non possiamo' }, adminP)),
    ).toBe('CONFLICT');
    expect(await row(booking.id)).toEqual(before);
  });

  it('a due booking cancelled by the citizen is no longer payable', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    expect(
      ok<BookingOut>(await suite.run(CANCEL, { id: booking.id }, mario), 'cancelOfferBooking'),
    ).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'UNPAID',
    });
    expect(await describeFor(booking.id, mario.personId)).toMatchObject({ state: 'NOT_PAYABLE' });
    expect(await refusal(begin(booking, mario, randomUUID()))).toMatchObject({
      reason: 'NOT_PAYABLE',
    });
  });
});

describe('service authentication', () => {
  it('refuses a known service other than payments (403) and a gateway token (401): nothing changes', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    const before = await row(booking.id);
    const body = {
      ref: ref(booking.id),
      checkoutId: randomUUID(),
      personId: mario.personId,
      amountCents: booking.amountDueCents,
      until: new Date(now().getTime() + 600_000).toISOString(),
    };
    const asIdentity = await refusal(call(PAYABLE_PATHS.begin, body, 'identity'));
    expect(asIdentity).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const asIdentityDescribe = await refusal(
      call(PAYABLE_PATHS.describe, { ref: ref(booking.id), personId: mario.personId }, 'identity'),
    );
    expect(asIdentityDescribe).toMatchObject({ status: 403 });

    const gatewayToken = await (
      await createTokenSigner(gatewayKeys.privateKey)
    )('third-sector', { kind: 'service', service: 'payments' }, 'r1');
    for (const authorization of [`Bearer ${gatewayToken}`, '']) {
      const res = await httpRequest(`${subgraph.url}${PAYABLE_PATHS.begin}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
    }
    const bad = await refusal(call(PAYABLE_PATHS.begin, { ...body, amountCents: 'tanti' }));
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect((bad as ServiceRefusal).fields.map((f) => f.field)).toEqual(['amountCents']);
    expect(await row(booking.id)).toEqual(before);
  });
});

describe('the database', () => {
  it('refuses payment columns inconsistent with the payment status', async () => {
    const mario = citizen();
    const booking = await book(mario, priced, 1);
    await expect(
      suite.sql(`update third_sector.offer_booking set payment_status = 'PAID' where id = ?`, [
        booking.id,
      ]),
    ).rejects.toThrow(/offer_booking_payment_check/);
    await expect(
      suite.sql(`update third_sector.offer_booking set status = 'EXPIRED' where id = ?`, [
        booking.id,
      ]),
    ).rejects.toThrow(/offer_booking_payment_status_check/);
    await expect(
      suite.sql(`update third_sector.offer_booking set refunded_cents = 100 where id = ?`, [
        booking.id,
      ]),
    ).rejects.toThrow(/offer_booking_refund_check/);
    expect((await row(booking.id)).payment_status).toBe('PAYMENT_DUE');
  });
});

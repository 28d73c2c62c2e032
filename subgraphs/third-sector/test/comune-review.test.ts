import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  COMUNE_A,
  COMUNE_B,
  PROVIDER_P,
  PROVIDER_Q,
  errorCode,
  errorFields,
  member,
  setupSuite,
  type Suite,
} from './helpers.js';
import { CREATE, PUBLISH, UPDATE, accredit, offerInput } from './offer-fixtures.js';
import { saveLanguage } from '../src/modules/notification/notification.repository.js';

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('comune_review');
  await accredit(suite, PROVIDER_P, COMUNE_A);
  await accredit(suite, PROVIDER_Q, COMUNE_B);
});
afterAll(() => suite?.close());

const adminP = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
const adminQ = member(PROVIDER_Q, 'ASSOCIATION', 'ADMIN');
const managerA = member(COMUNE_A, 'COMUNE', 'MANAGER');
const operatorA = member(COMUNE_A, 'COMUNE', 'OPERATOR');
const managerB = member(COMUNE_B, 'COMUNE', 'MANAGER');
const operatorB = member(COMUNE_B, 'COMUNE', 'OPERATOR');

const SET_TARIFF = `mutation($input: AccreditationTariffInput!) {
  setAccreditationTariff(input: $input) { category priceKind maxPriceCents } }`;
const TARIFFS = `query($comuneId: ID!) { accreditationTariffs(comuneId: $comuneId) { category priceKind maxPriceCents } }`;
const ABOVE = `query($comuneId: ID!) { offersAboveTariff(comuneId: $comuneId) { id priceCents } }`;
const COMUNE_OFFERS = `query($comuneId: ID!, $statuses: [OfferStatus!]) {
  comuneOffers(comuneId: $comuneId, statuses: $statuses) { id status withdrawnByComune } }`;
const COMUNE_WITHDRAW = `mutation($id: ID!, $reason: String!) {
  withdrawOfferByComune(id: $id, reason: $reason) { id status withdrawnByComune withdrawalReason } }`;
const ASK = `mutation($id: ID!) { requestOfferRepublication(id: $id) { id status republishRequestedAt } }`;
const REINSTATE = `mutation($id: ID!) { reinstateOffer(id: $id) { id status } }`;
const ONE = `query($id: ID!) { offer(id: $id) {
  id status inCatalogue withdrawnByComune withdrawalReason republishRequestedAt } }`;

function ok<T>(result: ExecutionResult, key: string): T {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, T>)[key]!;
}

function tariff(comuneId: string, maxPriceCents: number | null, overrides = {}) {
  return {
    input: { comuneId, category: 'EDUCATION', priceKind: 'PER_HOUR', maxPriceCents, ...overrides },
  };
}

/** A published offer of P in Comune A. */
async function published(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await suite.run(
    CREATE,
    { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput(overrides) },
    adminP,
  );
  const id = ok<{ id: string }>(created, 'createOffer').id;
  ok(await suite.run(PUBLISH, { id }, adminP), 'publishOffer');
  return id;
}

async function catalogueVersion(): Promise<number> {
  const [row] = await suite.sql<{ version: string }>(
    `select version from third_sector.catalogue_version`,
  );
  return Number(row!.version);
}

async function lastAudit(): Promise<{ action: string; subject: string; organisation_id: string }> {
  const [row] = await suite.sql<{ action: string; subject: string; organisation_id: string }>(
    `select organisation_id, action, subject from third_sector.audit_event order by seq desc limit 1`,
  );
  return row!;
}

describe('tariffs of the accreditation call', () => {
  it('the MANAGER sets, changes and removes a tariff; anyone reads them', async () => {
    expect(
      ok<unknown[]>(
        await suite.run(SET_TARIFF, tariff(COMUNE_A, 3000), managerA),
        'setAccreditationTariff',
      ),
    ).toEqual([{ category: 'EDUCATION', priceKind: 'PER_HOUR', maxPriceCents: 3000 }]);
    expect((await lastAudit()).action).toBe('SET_OFFER_TARIFF');
    ok(
      await suite.run(SET_TARIFF, tariff(COMUNE_A, 900, { priceKind: 'PER_SESSION' }), managerA),
      'setAccreditationTariff',
    );
    ok(
      await suite.run(SET_TARIFF, tariff(COMUNE_A, null, { priceKind: 'PER_SESSION' }), managerA),
      'setAccreditationTariff',
    );
    expect(
      ok(await suite.run(TARIFFS, { comuneId: COMUNE_A }, ANONYMOUS), 'accreditationTariffs'),
    ).toEqual([{ category: 'EDUCATION', priceKind: 'PER_HOUR', maxPriceCents: 3000 }]);
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = await suite.count('accreditation_tariff');
    for (const [overrides, field] of [
      [{ maxPriceCents: 0 }, 'maxPriceCents'],
      [{ maxPriceCents: 10_000_001 }, 'maxPriceCents'],
      [{ maxPriceCents: -5 }, 'maxPriceCents'],
      [{ priceKind: 'FREE', maxPriceCents: 100 }, 'priceKind'],
    ] as const) {
      const result = await suite.run(SET_TARIFF, tariff(COMUNE_A, 100, overrides), managerA);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual([field]);
    }
    expect(await suite.count('accreditation_tariff')).toBe(before);
  });

  it('only the Comune’s own MANAGER sets its tariffs', async () => {
    const before = await suite.sql(`select * from third_sector.accreditation_tariff order by id`);
    for (const caller of [operatorA, managerB, adminP, ANONYMOUS]) {
      const result = await suite.run(SET_TARIFF, tariff(COMUNE_A, 1), caller);
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(errorCode(result));
    }
    expect(await suite.sql(`select * from third_sector.accreditation_tariff order by id`)).toEqual(
      before,
    );
  });

  it('refuses an offer priced above the cap at save and publish, naming the cap', async () => {
    const result = await suite.run(
      CREATE,
      { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput({ priceCents: 3001 }) },
      adminP,
    );
    expect(errorFields(result)).toEqual(['priceCents']);
    const field = (
      result.errors?.[0]?.originalError as unknown as {
        fields: { message: { it: string; en: string } }[];
      }
    ).fields[0]!;
    expect(field.message.it).toContain('30,00');
    expect(field.message.en).toContain('€30.00');
    // At the cap it is accepted; another category or kind of price is not capped.
    const id = await published({ priceCents: 3000 });
    await published({ priceKind: 'PER_SESSION', priceCents: 9000 });
    await published({ category: 'SPORT', priceCents: 9000 });
    const edit = await suite.run(UPDATE, { id, input: offerInput({ priceCents: 3500 }) }, adminP);
    expect(errorFields(edit)).toEqual(['priceCents']);
    // Another Comune's cap does not apply to Comune A's offers.
    ok(await suite.run(SET_TARIFF, tariff(COMUNE_B, 100), managerB), 'setAccreditationTariff');
    ok(
      await suite.run(UPDATE, { id, input: offerInput({ priceCents: 2900 }) }, adminP),
      'updateOffer',
    );
  });

  it('lowering a cap changes no offer and lists those above it to the Comune’s staff only', async () => {
    const id = await published({ priceCents: 2500, title: 'Ripetizioni di matematica' });
    const draft = ok<{ id: string }>(
      await suite.run(
        CREATE,
        { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput({ priceCents: 2500 }) },
        adminP,
      ),
      'createOffer',
    ).id;
    ok(await suite.run(SET_TARIFF, tariff(COMUNE_A, 2000), managerA), 'setAccreditationTariff');
    const above = ok<{ id: string; priceCents: number }[]>(
      await suite.run(ABOVE, { comuneId: COMUNE_A }, operatorA),
      'offersAboveTariff',
    );
    expect(above.map((o) => o.id)).toContain(id);
    expect(above.every((o) => o.priceCents > 2000)).toBe(true);
    expect(ok<{ status: string }>(await suite.run(ONE, { id }, ANONYMOUS), 'offer').status).toBe(
      'PUBLISHED',
    );
    for (const caller of [operatorB, adminP, ANONYMOUS]) {
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(
        errorCode(await suite.run(ABOVE, { comuneId: COMUNE_A }, caller)),
      );
    }
    // A draft saved under the old cap is refused at publish.
    const refused = await suite.run(PUBLISH, { id: draft }, adminP);
    expect(errorFields(refused)).toEqual(['priceCents']);
    ok(await suite.run(SET_TARIFF, tariff(COMUNE_A, 3000), managerA), 'setAccreditationTariff');
  });
});

describe('the Comune’s review and withdrawal of an offer', () => {
  it('lists the offers of its catalogue to its staff only', async () => {
    const id = await published();
    const list = ok<{ id: string }[]>(
      await suite.run(COMUNE_OFFERS, { comuneId: COMUNE_A }, operatorA),
      'comuneOffers',
    );
    expect(list.map((o) => o.id)).toContain(id);
    for (const caller of [operatorB, adminP, ANONYMOUS]) {
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(
        errorCode(await suite.run(COMUNE_OFFERS, { comuneId: COMUNE_A }, caller)),
      );
    }
  });

  it('withdraws with a reason: out of the catalogue at once, audited, the reason shown to the provider; the provider asks, the Comune reinstates', async () => {
    const id = await published();
    const version = await catalogueVersion();
    const withdrawn = ok<{ status: string; withdrawalReason: string }>(
      await suite.run(
        COMUNE_WITHDRAW,
        { id, reason: '  Prezzo non conforme al bando  ' },
        operatorA,
      ),
      'withdrawOfferByComune',
    );
    expect(withdrawn).toMatchObject({
      status: 'WITHDRAWN',
      withdrawnByComune: true,
      withdrawalReason: 'Prezzo non conforme al bando',
    });
    expect(await catalogueVersion()).toBeGreaterThan(version);
    expect(await lastAudit()).toEqual({
      organisation_id: COMUNE_A,
      action: 'COMUNE_WITHDRAW_OFFER',
      subject: `offer:${id}`,
    });
    expect((await suite.run(ONE, { id }, ANONYMOUS)).data).toEqual({ offer: null });
    expect(ok(await suite.run(ONE, { id }, adminP), 'offer')).toMatchObject({
      withdrawnByComune: true,
      withdrawalReason: 'Prezzo non conforme al bando',
      inCatalogue: false,
    });
    // The provider cannot publish it itself, nor can the Comune reinstate before it asks.
    expect(errorCode(await suite.run(PUBLISH, { id }, adminP))).toBe('CONFLICT');
    expect(errorCode(await suite.run(REINSTATE, { id }, operatorA))).toBe('CONFLICT');
    // A fix above the cap is refused; within it, the provider asks.
    expect(
      errorFields(await suite.run(UPDATE, { id, input: offerInput({ priceCents: 9999 }) }, adminP)),
    ).toEqual(['priceCents']);
    ok(
      await suite.run(UPDATE, { id, input: offerInput({ priceCents: 1000 }) }, adminP),
      'updateOffer',
    );
    const asked = ok<{ republishRequestedAt: string | null }>(
      await suite.run(ASK, { id }, adminP),
      'requestOfferRepublication',
    );
    expect(asked.republishRequestedAt).not.toBeNull();
    expect((await lastAudit()).action).toBe('REQUEST_OFFER_REPUBLICATION');
    expect(ok(await suite.run(REINSTATE, { id }, operatorA), 'reinstateOffer')).toEqual({
      id,
      status: 'PUBLISHED',
    });
    expect((await lastAudit()).action).toBe('REINSTATE_OFFER');
    expect(ok(await suite.run(ONE, { id }, ANONYMOUS), 'offer')).toMatchObject({
      inCatalogue: true,
      withdrawnByComune: false,
      withdrawalReason: null,
    });
  });

  it('refuses a bad reason field by field and changes nothing', async () => {
    const id = await published();
    for (const reason of ['', '  no ', 'x'.repeat(1001), 'ab\u0000cdef']) {
      const result = await suite.run(COMUNE_WITHDRAW, { id, reason }, operatorA);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(errorFields(result)).toEqual(['reason']);
    }
    expect(ok<{ status: string }>(await suite.run(ONE, { id }, ANONYMOUS), 'offer').status).toBe(
      'PUBLISHED',
    );
  });

  it('refuses a withdrawal of what is not published, and an ask for what the Comune did not withdraw', async () => {
    const id = await published();
    expect(errorCode(await suite.run(ASK, { id }, adminP))).toBe('CONFLICT');
    ok(
      await suite.run(COMUNE_WITHDRAW, { id, reason: 'Fuori bando' }, operatorA),
      'withdrawOfferByComune',
    );
    expect(
      errorCode(await suite.run(COMUNE_WITHDRAW, { id, reason: 'Fuori bando' }, operatorA)),
    ).toBe('CONFLICT');
  });

  it('the database refuses a withdrawal by the Comune without a reason, and a bad tariff', async () => {
    const id = await published();
    await expect(
      suite.sql(
        `update third_sector.offer set status = 'WITHDRAWN', withdrawn_by_comune = true where id = ?`,
        [id],
      ),
    ).rejects.toThrow(/offer_withdrawal_reason_check/);
    await expect(
      suite.sql(
        `insert into third_sector.accreditation_tariff (id, comune_id, category, price_kind, max_price_cents)
         values (gen_random_uuid(), ?, 'SPORT', 'FREE', 100)`,
        [COMUNE_A],
      ),
    ).rejects.toThrow(/accreditation_tariff_kind_check/);
  });

  it('tenancy: another Comune, a provider or anyone else cannot withdraw, ask or reinstate', async () => {
    const id = await published();
    for (const caller of [operatorB, managerB, adminP, adminQ, ANONYMOUS]) {
      const result = await suite.run(COMUNE_WITHDRAW, { id, reason: 'Non conforme' }, caller);
      expect(['NOT_FOUND', 'UNAUTHENTICATED']).toContain(errorCode(result));
    }
    ok(
      await suite.run(COMUNE_WITHDRAW, { id, reason: 'Non conforme' }, operatorA),
      'withdrawOfferByComune',
    );
    for (const caller of [operatorA, adminQ, operatorB, ANONYMOUS]) {
      expect(['NOT_FOUND', 'UNAUTHENTICATED']).toContain(
        errorCode(await suite.run(ASK, { id }, caller)),
      );
    }
    ok(await suite.run(ASK, { id }, adminP), 'requestOfferRepublication');
    for (const caller of [operatorB, managerB, adminP, adminQ, ANONYMOUS]) {
      expect(['NOT_FOUND', 'UNAUTHENTICATED']).toContain(
        errorCode(await suite.run(REINSTATE, { id }, caller)),
      );
    }
    expect(ok<{ status: string }>(await suite.run(ONE, { id }, adminP), 'offer').status).toBe(
      'WITHDRAWN',
    );
  });
});

describe('the provider is told of a withdrawal and a reinstatement', () => {
  interface Message {
    template: string;
    language: string;
    subject: string;
    body: string;
    subject_ref: string;
    comune_id: string;
  }
  const messagesOf = (id: string) =>
    suite.sql<Message>(
      `select "template", "language", "subject", "body", "subject_ref", "comune_id"
         from third_sector.message where "recipient" = ? and "subject_ref" = ?
        order by "created_at", "id"`,
      [`provider:${PROVIDER_P}`, `offer:${id}`],
    );

  it('one message for the provider with the reason, in the language of the admin who created the offer; one at the reinstatement', async () => {
    const id = await published({ title: 'Nuoto libero' });
    await saveLanguage(suite.orm.em.fork(), adminP.personId, 'en');
    ok(
      await suite.run(COMUNE_WITHDRAW, { id, reason: ' Prezzo sopra la tariffa ' }, operatorA),
      'withdrawOfferByComune',
    );
    expect(await messagesOf(id)).toEqual([
      {
        template: 'OFFER_WITHDRAWN_BY_COMUNE',
        language: 'en',
        subject: 'Offer withdrawn by the Comune: Nuoto libero',
        body: 'The Comune withdrew the offer “Nuoto libero” from its catalogue: once it is fixed, you can ask to publish it again on the portal. Reason: Prezzo sopra la tariffa',
        subject_ref: `offer:${id}`,
        comune_id: COMUNE_A,
      },
    ]);
    ok(await suite.run(ASK, { id }, adminP), 'requestOfferRepublication');
    ok(await suite.run(REINSTATE, { id }, operatorA), 'reinstateOffer');
    // Withdrawn again: a second message (each withdrawal is told once).
    ok(
      await suite.run(COMUNE_WITHDRAW, { id, reason: 'Orari non indicati' }, operatorA),
      'withdrawOfferByComune',
    );
    const got = await messagesOf(id);
    expect(got.map((m) => m.template)).toEqual([
      'OFFER_WITHDRAWN_BY_COMUNE',
      'OFFER_REINSTATED',
      'OFFER_WITHDRAWN_BY_COMUNE',
    ]);
    expect(got[1]!.subject).toBe('Offer published again: Nuoto libero');
    expect(got[2]!.body).toMatch(/Reason: Orari non indicati$/);
  });

  it('writes in Italian when the admin chose no language', async () => {
    const italianAdmin = member(PROVIDER_P, 'COOPERATIVE', 'ADMIN');
    const created = await suite.run(
      CREATE,
      { providerId: PROVIDER_P, comuneId: COMUNE_A, input: offerInput({ title: 'Doposcuola' }) },
      italianAdmin,
    );
    const id = ok<{ id: string }>(created, 'createOffer').id;
    ok(await suite.run(PUBLISH, { id }, italianAdmin), 'publishOffer');
    ok(
      await suite.run(COMUNE_WITHDRAW, { id, reason: 'Manca il calendario' }, operatorA),
      'withdrawOfferByComune',
    );
    const [message, ...rest] = await messagesOf(id);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({
      language: 'it',
      subject: 'Offerta ritirata dal Comune: Doposcuola',
      body: 'Il Comune ha ritirato dal catalogo l’offerta «Doposcuola»: dopo averla corretta, può chiederne la ripubblicazione dal portale. Motivo: Manca il calendario',
    });
  });

  it('bad input, a refused caller or a conflict: no message', async () => {
    const id = await published();
    for (const reason of ['', 'no', 'x'.repeat(1001)]) {
      const result = await suite.run(COMUNE_WITHDRAW, { id, reason }, operatorA);
      expect(errorFields(result)).toEqual(['reason']);
    }
    for (const caller of [operatorB, adminP, ANONYMOUS]) {
      const result = await suite.run(COMUNE_WITHDRAW, { id, reason: 'Non conforme' }, caller);
      expect(['NOT_FOUND', 'UNAUTHENTICATED']).toContain(errorCode(result));
    }
    // Not asked for: the reinstatement is refused and tells nobody.
    expect(errorCode(await suite.run(REINSTATE, { id }, operatorA))).toBe('CONFLICT');
    expect(await messagesOf(id)).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ANONYMOUS,
  ORG_A,
  ORG_B,
  errorCode,
  member,
  startStripeHarness,
  until,
} from './helpers.js';

const harness = await startStripeHarness('onboarding');
const { suite, fake } = harness;
afterAll(() => harness.close());

const START = /* GraphQL */ `
  mutation ($organisationId: ID!) {
    startPaymentOnboarding(organisationId: $organisationId) {
      url
      account {
        organisationId
        stripeAccountId
        chargesEnabled
      }
    }
  }
`;
const ACCOUNT = /* GraphQL */ `
  query ($organisationId: ID!) {
    paymentAccount(organisationId: $organisationId) {
      organisationId
      stripeAccountId
      chargesEnabled
      detailsSubmitted
    }
  }
`;

type Started = {
  startPaymentOnboarding: { url: string; account: { stripeAccountId: string } };
};
type Account = {
  paymentAccount: { stripeAccountId: string; chargesEnabled: boolean } | null;
};

const adminOfA = member(ORG_A, 'COOPERATIVE', 'ADMIN');
const tutorOfA = member(ORG_A, 'COOPERATIVE', 'TUTOR');
const adminOfB = member(ORG_B, 'ASSOCIATION', 'ADMIN');
const staffOfA = member(ORG_A, 'COMUNE', 'MANAGER');

describe('Stripe Connect onboarding of a provider', () => {
  it('is refused to anyone but the provider’s own admins, and creates nothing', async () => {
    for (const [caller, code] of [
      [adminOfB, 'FORBIDDEN'],
      [tutorOfA, 'FORBIDDEN'],
      [staffOfA, 'FORBIDDEN'],
      [ADMIN, 'FORBIDDEN'],
      [ANONYMOUS, 'UNAUTHENTICATED'],
    ] as const) {
      expect(errorCode(await suite.run(START, { organisationId: ORG_A }, caller))).toBe(code);
      expect(errorCode(await suite.run(ACCOUNT, { organisationId: ORG_A }, caller))).toBe(code);
    }
    expect(errorCode(await suite.run(START, { organisationId: 'nope' }, adminOfA))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await suite.count('provider_account')).toBe(0);
    expect(fake.controls.accounts.size).toBe(0);
  });

  it('creates one account for the provider, however often it is started', async () => {
    const before = await suite.run<Account>(ACCOUNT, { organisationId: ORG_A }, adminOfA);
    expect(before.errors).toBeUndefined();
    expect(before.data?.paymentAccount).toBeNull();

    const first = await suite.run<Started>(START, { organisationId: ORG_A }, adminOfA);
    expect(first.errors).toBeUndefined();
    const again = await suite.run<Started>(START, { organisationId: ORG_A }, adminOfA);
    const accountId = first.data!.startPaymentOnboarding.account.stripeAccountId;
    expect(again.data?.startPaymentOnboarding.account.stripeAccountId).toBe(accountId);
    expect(again.data?.startPaymentOnboarding.url).not.toBe(first.data?.startPaymentOnboarding.url);
    expect(fake.controls.accounts.size).toBe(1);
    expect(await suite.count('provider_account')).toBe(1);

    // Another provider's admin still sees nothing of it.
    expect(errorCode(await suite.run(ACCOUNT, { organisationId: ORG_A }, adminOfB))).toBe(
      'FORBIDDEN',
    );
  });

  it('enables charges when the onboarding is completed (account.updated)', async () => {
    const started = await suite.run<Started>(START, { organisationId: ORG_A }, adminOfA);
    const { url, account } = started.data!.startPaymentOnboarding;
    // The admin's browser: Stripe's page, its button, back to the portal.
    const page = await fetch(url);
    expect(await page.text()).toContain('<button type="submit">');
    const done = await fetch(url, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(
      `http://portal.test/ente/${ORG_A}/pagamenti?onboarding=return`,
    );
    await until(
      async () => (await suite.count('stripe_event', { type: 'account.updated' })) === 1,
      'account.updated',
    );
    const [row] = await suite.sql<{ charges_enabled: boolean }>(
      `select charges_enabled from payments.provider_account where stripe_account_id = ?`,
      [account.stripeAccountId],
    );
    expect(row?.charges_enabled).toBe(true);
    const read = await suite.run<Account>(ACCOUNT, { organisationId: ORG_A }, adminOfA);
    expect(read.data?.paymentAccount).toMatchObject({
      stripeAccountId: account.stripeAccountId,
      chargesEnabled: true,
    });
  });
});

// The payments demo: on the fake Stripe, the demo provider (La Esse) takes card payments from the
// start; an account an earlier fake made (unknown to this one) is replaced; nothing is done when
// Stripe is not the fake.
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { startStripeHarness } from './helpers.js';

const LA_ESSE = '0b7c2d1e-0000-4000-8000-000000000102';
const OPTIONS = { fakeStripe: true, portalUrl: 'http://portal.test' };

const harness = await startStripeHarness('demo');
const { suite, fake } = harness;
afterAll(() => harness.close());

async function stored(): Promise<{ stripe_account_id: string; charges_enabled: boolean }[]> {
  return suite.orm.em
    .fork()
    .getConnection()
    .execute(
      `select stripe_account_id, charges_enabled from payments.provider_account where organisation_id = ?`,
      [LA_ESSE],
    );
}

describe('payments demo data', () => {
  it('does nothing when Stripe is not the fake', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services, { ...OPTIONS, fakeStripe: false });
    expect(await stored()).toEqual([]);
  });

  it('onboards the demo provider on the fake, once, and replaces an account the fake does not know', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services, OPTIONS);
    const [first] = await stored();
    expect(first).toMatchObject({ charges_enabled: true });
    const account = fake.controls.accounts.get(first!.stripe_account_id);
    expect(account?.charges_enabled).toBe(true);

    // Again: the same account, nothing new at Stripe.
    const accounts = fake.controls.accounts.size;
    await loadDemoData(suite.orm.em.fork(), suite.services, OPTIONS);
    expect(await stored()).toEqual([first]);
    expect(fake.controls.accounts.size).toBe(accounts);

    // An account recorded by an earlier run's fake: replaced by one this fake knows, enabled.
    await suite.orm.em
      .fork()
      .getConnection()
      .execute(
        `update payments.provider_account set stripe_account_id = 'acct_earlierrun0001', charges_enabled = true where organisation_id = ?`,
        [LA_ESSE],
      );
    await loadDemoData(suite.orm.em.fork(), suite.services, OPTIONS);
    const [replaced] = await stored();
    expect(replaced!.stripe_account_id).not.toBe('acct_earlierrun0001');
    expect(fake.controls.accounts.get(replaced!.stripe_account_id)?.charges_enabled).toBe(true);
    expect(replaced!.charges_enabled).toBe(true);
  });
});

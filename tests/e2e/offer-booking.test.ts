import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { nationalHoliday } from '@welfare/third-sector/calendar';
import { chooseDay, fillContact } from '../support/booking-days.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/** Identity's demo Comune and provider (subgraphs/identity/src/demo/accounts.ts). */
const COMUNE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const TITLE = 'Ripetizioni di matematica (prova prenotazioni)';

/** A day `days` from today in Rome, as `yyyy-mm-dd`. */
function romeDayFromToday(days: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('booking a priced offer in the portal', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let offerId = '';

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
    // La Esse (accredited by the demo Comune) publishes a priced offer: 15.50 € per hour.
    const gateway = platform.urls.gateway;
    const { token } = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const created = await gql<{ createOffer: { id: string } }>(
      gateway,
      `mutation($p: ID!, $c: ID!, $input: OfferInput!) { createOffer(providerId: $p, comuneId: $c, input: $input) { id } }`,
      {
        p: LA_ESSE,
        c: COMUNE,
        input: {
          title: TITLE,
          description: 'Lezioni individuali di matematica per le scuole medie e superiori.',
          category: 'EDUCATION',
          targets: ['TEENAGERS'],
          priceKind: 'PER_HOUR',
          priceCents: 1550,
          format: 'GROUP',
          capacity: 5,
          places: [{ name: 'Sede La Esse', address: 'Via Roma 5', municipality: 'Balestrate' }],
          schedule: [{ weekday: 2, startTime: '15:00', endTime: '19:00' }],
          contactEmail: DEMO_ORGANISATIONS.laEsse.email,
        },
      },
      { token },
    );
    expect(created.errors).toBeUndefined();
    offerId = created.data!.createOffer.id;
    const published = await gql(
      gateway,
      `mutation($id: ID!) { publishOffer(id: $id) { id } }`,
      { id: offerId },
      { token },
    );
    expect(published.errors).toBeUndefined();
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const citizenPage = async (fiscalCode: string) => (await portal.citizenPage(fiscalCode)).page;

  const staffPage = (email: string) => portal.staffPage(email);

  it('a citizen books 3 hours, sees the amount to pay; the provider confirms', async () => {
    const citizen = await citizenPage(DEMO_CITIZEN.fiscalCode);
    const form = `${web}/servizi/${offerId}/prenota`;
    await citizen.goto(form);
    await citizen.getByTestId('booking-form').waitFor();
    await expect(citizen.getByTestId('booking-price').textContent()).resolves.toMatch(
      /15,50\s*€ per ora/,
    );
    await expectAccessible(citizen);

    // Only Tuesdays are offered (the schedule), never a national holiday (8 December 2026 is a
    // Tuesday), each with its places left.
    const offered = await citizen
      .getByLabel('Giorno del servizio')
      .locator('option')
      .evaluateAll((options) =>
        options
          .map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' }))
          .filter((o) => o.value),
      );
    expect(offered.length).toBeGreaterThan(3);
    for (const option of offered) {
      expect(new Date(`${option.value}T12:00:00Z`).getUTCDay()).toBe(2);
      expect(nationalHoliday(option.value)).toBeNull();
      expect(option.text).toContain('posti liberi: 5');
    }
    const holiday = romeDayFromToday(0).slice(0, 4) + '-12-08';
    expect(offered.map((o) => o.value)).not.toContain(holiday);

    // Unhappy path: quantity 0 is a field error, and nothing is booked.
    const day = await chooseDay(citizen, 0);
    await citizen.getByLabel('Numero di ore').fill('0');
    await citizen.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await citizen.getByTestId('error-summary').waitFor();
    await expect(citizen.locator('#booking-quantity').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expect(citizen.locator('#booking-quantity-error').textContent()).resolves.toContain(
      'da 1 a 50',
    );
    await expect(
      citizen.getByTestId('error-summary').getByRole('link').getAttribute('href'),
    ).resolves.toBe('#booking-quantity');
    await expectAccessible(citizen);
    await citizen.goto(`${web}/prenotazioni/servizi`);
    await citizen.getByTestId('booking-none').waitFor();

    // The booking: 3 hours at 15.50 € = 46.50 €.
    await citizen.goto(form);
    await citizen.getByLabel('Giorno del servizio').selectOption(day);
    await citizen.getByLabel('Numero di ore').fill('3');
    // A parent books for a child, with a phone for the provider.
    await citizen.locator('label[for="attendee-other"]').click();
    await citizen.locator('#attendee-given').fill('Luca');
    await citizen.locator('#attendee-family').fill('Bianchi');
    await citizen.locator('#attendee-birth').fill('2012-05-04');
    await citizen.locator('#booking-phone').fill('333 123 4567');
    await expect(citizen.getByTestId('booking-amount').textContent()).resolves.toMatch(
      /46,50\s*€[\s\S]*paghi online entro 30 minuti/,
    );
    await citizen.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await citizen.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));
    await citizen.getByTestId('booking-confirmation').waitFor();
    const row = citizen.getByTestId('booking-row');
    expect(await row.count()).toBe(1);
    await expect(row.getAttribute('data-status')).resolves.toBe('REQUESTED');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(TITLE);
    expect(text).toContain('Cooperativa Sociale La Esse');
    expect(text).toMatch(/46,50\s*€/);
    // Booked since platform payments: to be paid on the platform by its deadline, with "Paga".
    await expect(row.getByTestId('booking-payment').textContent()).resolves.toMatch(
      /^Da pagare entro il \d{1,2} \w+ \d{4}/,
    );
    await expect(row.getByTestId('booking-pay').count()).resolves.toBe(1);
    await expectAccessible(citizen);

    // The offer's page shows one place less that day.
    await citizen.goto(`${web}/servizi/${offerId}`);
    await expect(
      citizen
        .getByTestId('offer-places-left')
        .locator(`li[data-date="${day}"]`)
        .getAttribute('data-places'),
    ).resolves.toBe('4');

    // The provider's ADMIN confirms it in its area.
    const provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await provider.goto(`${web}/ente/${LA_ESSE}/prenotazioni`);
    const providerRow = provider
      .getByTestId('booking-provider-row')
      .filter({ hasText: TITLE })
      .first();
    await expect(providerRow.textContent()).resolves.toContain(DEMO_CITIZEN.fiscalCode);
    await expect(providerRow.getByTestId('booking-attendee').textContent()).resolves.toContain(
      'Luca Bianchi',
    );
    await expect(providerRow.getByTestId('booking-contact').textContent()).resolves.toContain(
      '3331234567',
    );
    await expectAccessible(provider);
    await providerRow.getByTestId('booking-confirm').click();
    await provider.getByTestId('booking-decided').waitFor();
    await expect(
      provider
        .getByTestId('booking-provider-row')
        .filter({ hasText: TITLE })
        .first()
        .getAttribute('data-status'),
    ).resolves.toBe('CONFIRMED');

    // The citizen sees it confirmed.
    await citizen.goto(`${web}/prenotazioni/servizi`);
    await expect(citizen.getByTestId('booking-row').getAttribute('data-status')).resolves.toBe(
      'CONFIRMED',
    );

    // The provider cancels it with a reason: the place is free again, the citizen sees why.
    const confirmedRow = provider
      .getByTestId('booking-provider-row')
      .filter({ hasText: TITLE })
      .first();
    await confirmedRow.getByLabel('Motivo dell’annullamento').fill('Insegnante malato');
    await confirmedRow.getByTestId('booking-provider-cancel').click();
    await provider.getByTestId('booking-decided').waitFor();
    await expect(
      provider
        .getByTestId('booking-provider-row')
        .filter({ hasText: TITLE })
        .first()
        .getAttribute('data-status'),
    ).resolves.toBe('CANCELLED_BY_PROVIDER');
    await expectAccessible(provider);
    await citizen.goto(`${web}/prenotazioni/servizi`);
    const cancelledRow = citizen.getByTestId('booking-row');
    await expect(cancelledRow.getAttribute('data-status')).resolves.toBe('CANCELLED_BY_PROVIDER');
    await expect(cancelledRow.textContent()).resolves.toContain('Insegnante malato');
    await expectAccessible(citizen);
  });

  it('a parent books for a child of the household; the next message comes in English', async () => {
    // Mario's household in the demo registry: his wife and two children.
    const citizen = await citizenPage(DEMO_CITIZEN.fiscalCode);
    await citizen.goto(`${web}/servizi/${offerId}/prenota`);
    await citizen.getByTestId('booking-form').waitFor();
    const attendee = citizen.getByTestId('booking-attendee');
    await expect(attendee.locator('label[for="attendee-self"]').textContent()).resolves.toContain(
      `Io (${DEMO_CITIZEN.givenName} ${DEMO_CITIZEN.familyName})`,
    );
    const members = await attendee.locator('.form-check-label').allTextContents();
    const listed = members
      .map((label) => /^\s*(.+), (\d+) anni\s*$/.exec(label))
      .filter((match) => match !== null);
    expect(listed).toHaveLength(3);
    const child = listed.find((match) => Number(match[2]) < 18);
    expect(child).toBeDefined();
    const childName = child![1]!;
    // With JavaScript the typed fields show only for "Un’altra persona".
    const typed = citizen.getByTestId('attendee-other-fields');
    await typed.waitFor({ state: 'hidden' });
    await citizen.locator('label[for="attendee-other"]').click();
    await typed.waitFor({ state: 'visible' });
    await attendee.locator('.form-check-label', { hasText: childName }).click();
    await typed.waitFor({ state: 'hidden' });
    await expectAccessible(citizen);
    await chooseDay(citizen, 1);
    await citizen.getByLabel('Numero di ore').fill('1');
    await fillContact(citizen);
    await citizen.getByRole('button', { name: 'Invia la prenotazione' }).click();
    await citizen.waitForURL(new RegExp(`^${web}/prenotazioni/servizi\\?prenotata=`));

    // The provider sees the child (the registry's data, not the browser's) and a phone.
    const provider = await staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await provider.goto(`${web}/ente/${LA_ESSE}/prenotazioni`);
    const row = provider
      .getByTestId('booking-provider-row')
      .filter({ has: provider.getByTestId('booking-attendee').getByText(childName) });
    expect(await row.count()).toBe(1);
    await expect(row.getAttribute('data-status')).resolves.toBe('REQUESTED');

    // Mario chooses English for his messages (Italian until now).
    await citizen.goto(`${web}/messaggi`);
    const current = citizen.getByTestId('message-language-current');
    await expect(current.getAttribute('data-language')).resolves.toBe('it');
    await citizen.locator('label[for="message-language-en"]').click();
    await citizen.getByRole('button', { name: 'Salva la lingua' }).click();
    await citizen.getByTestId('message-language-saved').waitFor();
    await expect(current.getAttribute('data-language')).resolves.toBe('en');
    await expect(current.textContent()).resolves.toContain('Lingua attuale: English');
    await expectAccessible(citizen);

    // The provider confirms: the message is in English (delivered by the dispatcher).
    await row.getByTestId('booking-confirm').click();
    await provider.getByTestId('booking-decided').waitFor();
    const confirmed = `Booking confirmed: ${TITLE}`;
    const list = citizen.getByTestId('my-service-messages');
    for (let i = 0; i < 20 && !((await list.textContent()) ?? '').includes(confirmed); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await citizen.goto(`${web}/messaggi`);
    }
    await expect(list.textContent()).resolves.toContain(confirmed);
    await expect(
      list.locator('article[lang="en"]').filter({ hasText: confirmed }).count(),
    ).resolves.toBe(1);
  });
});

// Issue 18, item 3: tutoring programmes are in the catalogue. A family searches "tutoraggio" on
// /servizi, opens the programme's entry (its facts, "Iscriviti al programma", never the booking
// form), logs in and comes back to the programme, and enrols a pupil. On the shared platform: it
// creates its own programme (its own word in the title), enrols a pupil of its own in it, and
// closes it at the end (its entry leaves the catalogue); nothing of the demo's state changes.
// The provider's and the Comune's offers lists show the entry as a programme to manage (a link
// to the programme, none of the offer's buttons, which the API refuses).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { openPortal, type Portal } from '../support/portal.js';

describe('a tutoring programme in the catalogue, in a browser', () => {
  let portal: Portal;
  let web: string;
  let gateway: string;
  let token = '';
  let programmeId = '';
  /** A word no other data has, so the search finds this programme's entry alone. */
  const word = `Zefiro${randomInt(100_000, 999_999)}`;
  const title = `Tutoraggio ${word}`;
  const today = new Date().toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

  const saveProgramme = (status: 'OPEN' | 'CLOSED') =>
    gql<{ updateTutoringProgramme: { id: string } }>(
      gateway,
      `mutation($id: ID!, $input: TutoringProgrammeUpdate!) {
        updateTutoringProgramme(id: $id, input: $input) { id } }`,
      {
        id: programmeId,
        input: {
          title,
          description: 'Ripetizioni di italiano e matematica in piccoli gruppi.',
          startsOn: today,
          endsOn: inDays(90),
          budgetMinutes: 600,
          groupSizeLimit: 4,
          status,
        },
      },
      { token },
    );

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    ({ web } = portal);
    gateway = portal.platform.urls.gateway;
    // The demo Comune's manager funds a programme run by La Esse (accredited by the demo data).
    ({ token } = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD));
    const created = await gql<{ createTutoringProgramme: { id: string } }>(
      gateway,
      `mutation($input: TutoringProgrammeInput!) { createTutoringProgramme(input: $input) { id } }`,
      {
        input: {
          comuneId: DEMO_COMUNE_ID,
          providerId: DEMO_ORG.laEsse,
          title,
          description: 'Ripetizioni di italiano e matematica in piccoli gruppi.',
          startsOn: today,
          endsOn: inDays(90),
          budgetMinutes: 600,
          groupSizeLimit: 4,
        },
      },
      { token },
    );
    expect(created.errors).toBeUndefined();
    programmeId = created.data!.createTutoringProgramme.id;
  });
  afterAll(async () => {
    if (programmeId) await saveProgramme('CLOSED');
    await portal?.close();
  });

  it('is found by "tutoraggio", shows its facts, and leads to the enrolment after the login', async () => {
    const page = await portal.page();
    await page.goto(`${web}/servizi`);
    // The Comune's open measures are still listed beside the offers.
    await page.getByTestId('catalogue-measures').waitFor();
    await page.getByTestId('catalogue-q').fill(`tutoraggio ${word}`);
    await page.getByTestId('catalogue-submit').click();
    await page.waitForURL((url) => url.searchParams.get('q') === `tutoraggio ${word}`);
    const entry = page.getByTestId('catalogue-offer').filter({ hasText: title });
    await expect(entry.count()).resolves.toBe(1);
    await portal.expectAccessible(page);

    await entry.getByTestId('catalogue-offer-link').click();
    await page.getByTestId('offer-programme').waitFor();
    const offerPath = new URL(page.url()).pathname;
    const facts = (await page.getByTestId('offer-programme').textContent()) ?? '';
    expect(facts).toContain('fino a 4');
    expect(await page.getByTestId('offer-price').textContent()).toMatch(/Gratuit/);
    expect(await page.getByTestId('offer-book').count()).toBe(0);
    await portal.expectAccessible(page);

    // The booking form is never shown: its address leads to the programme.
    const enrol = page.getByTestId('offer-enrol');
    expect(await enrol.textContent()).toContain('Iscriviti al programma');
    await enrol.click();
    // Anonymous: the login first, then back to the programme.
    await page.waitForURL((url) => url.pathname === '/accedi');
    await page.getByTestId('login-spid').click();
    await page.getByLabel('Codice fiscale').fill(DEMO_CITIZEN.fiscalCode);
    await page.getByRole('button', { name: 'Entra' }).click();
    await page.waitForURL(`${web}/tutoraggio/${programmeId}`);
    await portal.expectAccessible(page);

    const form = page.getByTestId('enrol-form');
    await form.getByLabel('Nome dell’alunno', { exact: true }).fill('Sofia');
    await form.getByLabel('Cognome dell’alunno', { exact: true }).fill('Rossi');
    await form.getByLabel('Classe', { exact: true }).fill('2ª media');
    await form.getByRole('button', { name: 'Iscrivi l’alunno' }).click();
    await page.getByTestId('tutoring-notice').waitFor();
    expect(await page.getByTestId('tutoring-notice').textContent()).toContain('Alunno iscritto');
    expect(await page.getByTestId('my-pupils').textContent()).toContain('Sofia Rossi');
    await portal.expectAccessible(page);

    // The entry's booking address leads to the programme too, never to the booking form.
    await page.goto(`${web}${offerPath}/prenota`);
    await page.waitForURL(`${web}/tutoraggio/${programmeId}`);
  });

  it('is shown in the provider’s and the Comune’s offers lists as a programme to manage, without the offer buttons', async () => {
    const provider = await portal.staffPage(demoEmail('COOPERATIVE', 'ADMIN'));
    await provider.goto(`${web}/ente/${DEMO_ORG.laEsse}/offerte`);
    const row = provider.getByTestId('offer-row').filter({ hasText: title });
    await expect(row.count()).resolves.toBe(1);
    expect(await row.getByTestId('offer-programme').textContent()).toContain(
      'Programma di tutoraggio',
    );
    for (const button of ['offer-withdraw', 'offer-publish', 'offer-republish']) {
      expect(await row.getByTestId(button).count(), button).toBe(0);
    }
    expect(await row.getByRole('link', { name: /^Modifica/ }).count()).toBe(0);
    // The provider's own offers keep theirs.
    expect(await provider.getByTestId('offer-withdraw').count()).toBeGreaterThan(0);
    await portal.expectAccessible(provider);
    await row.getByTestId('offer-programme-manage').click();
    await provider.waitForURL(`${web}/ente/${DEMO_ORG.laEsse}/tutoraggio/${programmeId}`);

    const comune = await portal.staffPage(demoEmail('COMUNE', 'MANAGER'));
    await comune.goto(`${web}/comune/${DEMO_COMUNE_ID}/offerte`);
    const entry = comune.getByTestId('review-offer').filter({ hasText: title });
    await expect(entry.count()).resolves.toBe(1);
    expect(await entry.getByTestId('review-offer-programme').textContent()).toContain(
      'Programma di tutoraggio',
    );
    expect(await entry.locator('form').count()).toBe(0);
    const manage = entry.getByRole('link', { name: /^Gestisci il programma/ });
    expect(await manage.getAttribute('href')).toBe(
      `/comune/${DEMO_COMUNE_ID}/tutoraggio/${programmeId}`,
    );
    await portal.expectAccessible(comune);
  });

  it('leaves the catalogue when the programme is closed', async () => {
    const closed = await saveProgramme('CLOSED');
    expect(closed.errors).toBeUndefined();
    const page = await portal.page();
    await page.goto(`${web}/servizi?q=${encodeURIComponent(`tutoraggio ${word}`)}`);
    await page.getByTestId('catalogue-none').first().waitFor();
    await expect(
      page.getByTestId('catalogue-offer').filter({ hasText: title }).count(),
    ).resolves.toBe(0);
  });
});

// Issue 18, items 1 and 4, in the Comune's portal: the settings of its catalogue. Balestrate's
// MANAGER sets the patron saint day (an impossible day first: a field error from the API), adds a
// synonym group (a word of its own and "canoa"): the public catalogue of Balestrate then finds the
// demo "Vela e canoa per ragazzi" by that word; the MANAGER removes the group (after a
// confirmation) and the patron day. The OPERATOR reads both pages and finds no form. Every page is
// checked with axe. On the shared platform: the patron day is set to a day about ten months ahead
// (no other file books that far) and restored to what it was at the end; the synonym group is
// this file's own word, removed at the end.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG, DEMO_PASSWORD, staffEmail } from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { openPortal, type Portal } from '../support/portal.js';

const COMUNE = DEMO_ORG.balestrate;
const WORD = `zefiro${randomUUID().slice(0, 6).replace(/-/g, '')}`;
const PATRON = `query($comuneId: ID!) { comunePatronDay(comuneId: $comuneId) { month day name source } }`;
const SET_PATRON = `mutation($comuneId: ID!, $input: ComunePatronDayInput!) {
  setComunePatronDay(comuneId: $comuneId, input: $input) { month } }`;
const REMOVE_PATRON = `mutation($comuneId: ID!) { removeComunePatronDay(comuneId: $comuneId) }`;
const SYNONYMS = `query($comuneId: ID!) { catalogueSynonyms(comuneId: $comuneId) { id words } }`;
const REMOVE_SYNONYMS = `mutation($id: ID!) { removeCatalogueSynonyms(id: $id) }`;

interface PatronDay {
  month: number;
  day: number;
  name: string;
  source: string | null;
}

/** A day about ten months ahead: no other file books that far. */
function farDay(): { day: number; month: number } {
  const at = new Date(Date.now() - 60 * 86_400_000);
  const day = Math.min(at.getUTCDate(), 28);
  return { day, month: at.getUTCMonth() + 1 };
}

describe('the Comune’s settings of its catalogue', () => {
  let portal: Portal;
  let web: string;
  let gateway: string;
  let before: PatronDay | null = null;

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const managerToken = async () =>
    (await login(gateway, staffEmail('balestrate', 'MANAGER'), DEMO_PASSWORD)).token;

  beforeAll(async () => {
    portal = await openPortal({ shared: true });
    web = portal.web;
    gateway = portal.platform.urls.gateway;
    before =
      (await gql<{ comunePatronDay: PatronDay | null }>(gateway, PATRON, { comuneId: COMUNE })).data
        ?.comunePatronDay ?? null;
  });

  afterAll(async () => {
    // Whatever a failure left: the patron day as it was, no group with this file's word.
    if (gateway) {
      const token = await managerToken();
      if (before) {
        const { month, day, name, source } = before;
        await gql(
          gateway,
          SET_PATRON,
          { comuneId: COMUNE, input: { month, day, name, source } },
          { token },
        );
      } else {
        await gql(gateway, REMOVE_PATRON, { comuneId: COMUNE }, { token });
      }
      const groups = await gql<{ catalogueSynonyms: { id: string | null; words: string[] }[] }>(
        gateway,
        SYNONYMS,
        { comuneId: COMUNE },
      );
      for (const g of groups.data?.catalogueSynonyms ?? [])
        if (g.id && g.words.includes(WORD))
          await gql(gateway, REMOVE_SYNONYMS, { id: g.id }, { token });
    }
    await portal?.close();
  });

  it('the MANAGER sets the patron day (an impossible day is a field error) and removes it', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/offerte`);
    await manager.getByTestId('nav-comune-patron').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/catalogo/calendario`);
    await expectAccessible(manager);

    // 31 April: refused by the API, on the day field, nothing saved.
    await manager.locator('#patron-day').fill('31');
    await manager.locator('#patron-month').selectOption('4');
    await manager.locator('#patron-name').fill('San Prova');
    await manager.getByRole('button', { name: 'Salva il giorno' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#patron-day').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(manager.locator('#patron-day-error').textContent()).resolves.toContain(
      'Giorno e mese non validi.',
    );
    await expect(manager.locator('#patron-name').inputValue()).resolves.toBe('San Prova');
    await expectAccessible(manager);
    const unchanged = await gql<{ comunePatronDay: PatronDay | null }>(gateway, PATRON, {
      comuneId: COMUNE,
    });
    expect(unchanged.data?.comunePatronDay ?? null).toEqual(before);

    const { day, month } = farDay();
    await manager.locator('#patron-day').fill(String(day));
    await manager.locator('#patron-month').selectOption(String(month));
    await manager.getByRole('button', { name: 'Salva il giorno' }).click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/catalogo/calendario?esito=salvata#esito`);
    await expect(manager.getByTestId('patron-current').textContent()).resolves.toContain(
      'festa di San Prova',
    );
    const saved = await gql<{ comunePatronDay: PatronDay | null }>(gateway, PATRON, {
      comuneId: COMUNE,
    });
    expect(saved.data?.comunePatronDay).toMatchObject({ day, month, name: 'San Prova' });

    await manager.getByRole('button', { name: 'Rimuovi la festa' }).click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/catalogo/calendario?esito=rimossa#esito`);
    await manager.getByTestId('patron-none').waitFor();
    await expectAccessible(manager);
  });

  it('the MANAGER adds a synonym group the public catalogue finds offers by, then removes it', async () => {
    const search = `${web}/servizi?comune=${COMUNE}&q=${WORD}`;
    const citizen = await portal.page();
    await citizen.goto(search);
    await citizen.getByTestId('catalogue-none').waitFor();

    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/catalogo/sinonimi`);
    await expect(manager.getByTestId('synonyms-builtin').textContent()).resolves.toContain('nuoto');
    // One word only: a field error on the words.
    await manager.locator('#synonyms-words').fill(WORD);
    await manager.getByRole('button', { name: 'Aggiungi il gruppo' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#synonyms-words').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expectAccessible(manager);
    await manager.locator('#synonyms-words').fill(`${WORD},\ncanoa`);
    await manager.getByRole('button', { name: 'Aggiungi il gruppo' }).click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/catalogo/sinonimi?esito=aggiunto#esito`);
    const group = manager.getByTestId('synonyms-own-group').filter({ hasText: WORD });
    await expect(group.textContent()).resolves.toContain(`${WORD}, canoa`);

    await citizen.goto(search);
    await expect(
      citizen.getByTestId('catalogue-offer-link').filter({ hasText: 'Vela e canoa' }).count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(citizen);

    await group.getByRole('link', { name: `Rimuovi il gruppo ${WORD}, canoa` }).click();
    await manager.getByTestId('synonyms-confirm').waitFor();
    await expectAccessible(manager);
    await manager.getByRole('button', { name: 'Sì, rimuovi il gruppo' }).click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/catalogo/sinonimi?esito=rimosso#esito`);
    await expect(
      manager.getByTestId('synonyms-own-group').filter({ hasText: WORD }).count(),
    ).resolves.toBe(0);
    await citizen.goto(search);
    await citizen.getByTestId('catalogue-none').waitFor();
  });

  it('the OPERATOR reads both pages and cannot change them', async () => {
    const operator = await portal.staffPage(staffEmail('balestrate', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/catalogo/calendario`);
    await operator.getByTestId('patron-read-only').waitFor();
    await expect(operator.getByTestId('patron-form').count()).resolves.toBe(0);
    await expectAccessible(operator);
    await operator.goto(`${web}/comune/${COMUNE}/catalogo/sinonimi`);
    await operator.getByTestId('synonyms-read-only').waitFor();
    await expect(operator.getByTestId('synonyms-form').count()).resolves.toBe(0);
    // The API refuses the operator whatever the page shows.
    const token = (await login(gateway, staffEmail('balestrate', 'OPERATOR'), DEMO_PASSWORD)).token;
    const refused = await gql(
      gateway,
      `mutation($comuneId: ID!) { addCatalogueSynonyms(comuneId: $comuneId, words: ["${WORD}", "canoa"]) { id } }`,
      { comuneId: COMUNE },
      { token },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage } from '../support/browser.js';
import { qrCamera } from '../support/camera.js';
import { createCampaign, daysAhead } from '../support/campaigns.js';
import { uploadIdentityDocument } from '../support/citizen.js';
import {
  DEMO_CAMPAIGN_ID,
  DEMO_CAMPAIGN_TITLE,
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_PASSWORD,
  demoCitizen,
  demoEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import { reconciliationProblems } from '../support/money.js';
import type { TestPlatform } from '../support/platform.js';
import { logInCitizen } from '../support/login.js';
import { openPortal, type Portal } from '../support/portal.js';

/** The demo Comune (Comune di Balestrate) and its published campaign "Buoni spesa 2026". */
const COMUNE = DEMO_COMUNE_ID;
const CAMPAIGN = DEMO_CAMPAIGN_ID;
const CAMPAIGN_TITLE = DEMO_CAMPAIGN_TITLE;
const MARIO = DEMO_CITIZEN.fiscalCode;
const DECLARATIONS = ['VERIDICITA', 'NESSUN_ALTRO_BUONO'];
const SHOP = 'Alimentari Da Rosa S.r.l.';
const IBAN = 'IT60X0542811101000000123456';

/** Euro cents as the Italian pages print them. */
const euro = (cents: number) =>
  new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(cents / 100);

/** A partita IVA with its check digit (the Luhn-like rule of the Agenzia delle Entrate). */
function partitaIva(first10: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    let d = Number(first10[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${first10}${(10 - (sum % 10)) % 10}`;
}

/**
 * The text lines of each page of a letters PDF (pdfkit: `N 0 obj`, a dictionary, an optional
 * FlateDecode stream, `endobj`): enough to read the PIN printed in Mario's letter.
 */
function pdfPages(bytes: Buffer): string[][] {
  const text = bytes.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  const header = /(\d+) 0 obj\n/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text))) {
    const start = header.lastIndex;
    const endAt = text.indexOf('\nendobj', start);
    const inside = text.slice(start, endAt).indexOf('\nstream\n');
    if (inside === -1) {
      objects.set(Number(match[1]), { dict: text.slice(start, endAt) });
      header.lastIndex = endAt;
      continue;
    }
    const dict = text.slice(start, start + inside);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const from = start + inside + '\nstream\n'.length;
    let stream = bytes.subarray(from, from + length);
    if (dict.includes('/FlateDecode') && !dict.includes('/Subtype /Image')) {
      stream = inflateSync(stream);
    }
    objects.set(Number(match[1]), { dict, stream });
    header.lastIndex = from + length;
  }
  const ref = (dict: string, key: string) =>
    Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const catalog = objects.get(ref(trailer, 'Root'))!.dict;
  const tree = objects.get(ref(catalog, 'Pages'))!.dict;
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(tree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)];
  return kids.map(([, id]) => {
    const page = objects.get(Number(id))!.dict;
    const content = objects.get(ref(page, 'Contents'))!.stream!.toString('latin1');
    return [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map(([, array = '']) =>
      [...array.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex = '']) => Buffer.from(hex, 'hex').toString('latin1'))
        .join(''),
    );
  });
}

interface Balance {
  campaignId: string;
  creditedCents: number;
  spentCents: number;
  availableCents: number;
}

describe('shops, top-ups and the web POS in a browser', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let browser: Browser;
  let web: string;
  const contexts: BrowserContext[] = [];
  let mario: Page;
  let marioToken = '';
  let pin = '';
  let merchantId = '';
  let entitlement = 0;
  /** What Mario has spent so far, as the test expects it. */
  let spent = 0;

  beforeAll(async () => {
    // Mario's card and the demo shop's agreement for the open demo campaign, which no other
    // sharing file touches: the worker's shared platform (support/shared-platform.ts).
    portal = await openPortal({ shared: true });
    ({ platform, browser, web } = portal);
  });
  afterAll(async () => {
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);

  const staffPage = (email: string, on?: Browser) =>
    portal.staffPage(email, on ? { browser: on } : {});

  async function marioBalance(): Promise<Balance> {
    const balance = await marioBalanceOrNull();
    expect(balance, 'a balance for the campaign').not.toBeNull();
    return balance!;
  }

  async function marioBalanceOrNull(): Promise<Balance | null> {
    const answer = await gql<{ myCardBalance: Balance[] }>(
      platform.urls.gateway,
      `{ myCardBalance { campaignId creditedCents spentCents availableCents } }`,
      {},
      { token: marioToken },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.myCardBalance.find((b) => b.campaignId === CAMPAIGN) ?? null;
  }

  it("sets up Mario's approved application and card through the API and reads his PIN", async () => {
    const { context, page } = await newPage(browser);
    contexts.push(context);
    mario = page;
    await logInCitizen(mario, web, platform.urls.oidc, MARIO);
    marioToken = (await context.cookies(web)).find((c) => c.name === 'session')?.value ?? '';
    expect(marioToken).toBeTruthy();

    const draft = await gql<{ saveApplicationDraft: { id: string } }>(
      platform.urls.gateway,
      `mutation($input: ApplicationDraftInput!) { saveApplicationDraft(input: $input) { id } }`,
      {
        input: {
          campaignId: CAMPAIGN,
          privacyNoticeAcknowledged: true,
          email: 'famiglia@example.org',
          acceptedDeclarations: DECLARATIONS,
        },
      },
      { token: marioToken },
    );
    expect(draft.errors, JSON.stringify(draft.errors)).toBeUndefined();
    const id = draft.data!.saveApplicationDraft.id;
    await uploadIdentityDocument(platform.urls.gateway, marioToken, id);
    const submitted = await gql<{ submitApplication: { status: string } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { submitApplication(id: $id) { status } }`,
      { id },
      { token: marioToken },
    );
    expect(submitted.data?.submitApplication.status, JSON.stringify(submitted.errors)).toBe(
      'SUBMITTED',
    );
    const staff = await login(platform.urls.gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const approved = await gql<{ decideApplication: { status: string; amountCents: number } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { decideApplication(id: $id, approve: true, reason: null) { status amountCents } }`,
      { id },
      { token: staff.token },
    );
    expect(approved.data?.decideApplication.status, JSON.stringify(approved.errors)).toBe(
      'APPROVED',
    );
    entitlement = Number(approved.data!.decideApplication.amountCents);
    expect(entitlement).toBeGreaterThan(5000);

    const issued = await fetch(
      new URL(
        `/uploads/public-welfare/files/cards/issue?campaignId=${CAMPAIGN}`,
        platform.urls.gateway,
      ),
      { method: 'POST', headers: { authorization: `Bearer ${staff.token}` } },
    );
    expect(issued.status).toBe(200);
    const pages = pdfPages(Buffer.from(await issued.arrayBuffer()));
    const letter = pages.find((lines) => lines.includes(MARIO));
    pin = letter?.find((line) => /^\d{6}$/.test(line)) ?? '';
    expect(pin).toMatch(/^\d{6}$/);
  });

  it('lets the shop owner ask to join the measure in the portal', async () => {
    const owner = await staffPage(demoEmail('MERCHANT', 'OWNER'));
    await owner.goto(`${web}/esercente`);
    await owner.getByTestId('nav-esercente-convenzioni').click();
    await owner.waitForURL(/\/esercente\/[0-9a-f-]{36}\/convenzioni$/);
    merchantId = /esercente\/([0-9a-f-]{36})\//.exec(owner.url())?.[1] ?? '';
    // The demo shop is already accredited for the demo's closed campaign; not for this one.
    const requests = owner.getByTestId('shop-request');
    await expect(
      requests.filter({ hasText: 'primo semestre 2026' }).getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');
    await expect(requests.filter({ hasText: CAMPAIGN_TITLE }).count()).resolves.toBe(0);
    await expectAccessible(owner);

    // Nothing filled in: the errors, per field.
    await owner.getByRole('button', { name: 'Invia la richiesta' }).click();
    await expect(owner.getByTestId('error-summary').textContent()).resolves.toContain(
      'Scegli almeno una categoria',
    );
    await expect(owner.getByLabel('Partita IVA').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expectAccessible(owner);

    const form = owner.getByTestId('shop-form');
    const campaign = form.getByLabel('Misura');
    const value = await campaign
      .locator('option', { hasText: CAMPAIGN_TITLE })
      .getAttribute('value');
    expect(value).toBe(CAMPAIGN);
    await campaign.selectOption(CAMPAIGN);
    await form.getByLabel('Ragione sociale').fill(SHOP);
    await form.getByLabel('Partita IVA').fill(partitaIva('0123456789'));
    await form.getByLabel('IBAN').fill(IBAN);
    await owner.locator('label[for="shop-category-0"]').click(); // Alimentari
    await owner.locator('label[for="shop-category-2"]').click(); // Igiene e casa
    await expect(form.getByLabel('Alimentari').isChecked()).resolves.toBe(true);
    await form.getByLabel('Nome del punto vendita 1').fill('Negozio di via Roma');
    await form.getByLabel('Indirizzo del punto vendita 1').fill('Via Roma 1, Balestrate');
    await owner.getByRole('button', { name: 'Invia la richiesta' }).click();
    await owner.waitForURL(/esito=inviata/);
    const request = owner.getByTestId('shop-request').filter({ hasText: CAMPAIGN_TITLE });
    await expect(request.count()).resolves.toBe(1);
    await expect(request.getAttribute('data-status')).resolves.toBe('PENDING');
    await expect(request.textContent()).resolves.toContain(CAMPAIGN_TITLE);
    // Asked once: the measure is no longer offered.
    await expect(owner.getByTestId('shop-no-campaigns').count()).resolves.toBe(1);
    await expectAccessible(owner);
  });

  it('lets the operator accredit the shop in the portal', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune`);
    await operator.getByTestId('nav-comune-esercenti').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/esercenti`);
    const row = operator.getByTestId('shop-row').filter({ hasText: SHOP });
    await expect(row.getAttribute('data-status')).resolves.toBe('PENDING');
    await expect(row.textContent()).resolves.toContain(IBAN);
    await expectAccessible(operator);
    await row.getByRole('button', { name: /^Accredita/ }).click();
    // First the consequence, nothing decided yet.
    await expect(operator.getByTestId('shop-consequence').textContent()).resolves.toContain(
      `${SHOP} sarà accreditato`,
    );
    await expect(
      operator.getByTestId('shop-row').filter({ hasText: SHOP }).getAttribute('data-status'),
    ).resolves.toBe('PENDING');
    await expectAccessible(operator);
    await operator.getByTestId('shop-confirm-form').getByRole('button').click();
    await operator.waitForURL(/esito=ACCREDITED/);
    await expect(
      operator.getByTestId('shop-row').filter({ hasText: SHOP }).getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');
    await expect(operator.getByTestId('shops-notice').textContent()).resolves.toContain(
      'Esercente accreditato',
    );
    await expectAccessible(operator);
  });

  it('lets the manager top up the whole measure in the portal, once per tranche', async () => {
    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}`);
    await manager.getByTestId('campaign-topups-link').click();
    await manager.waitForURL(`${web}/comune/${COMUNE}/misure/${CAMPAIGN}/ricariche`);
    await expectAccessible(manager);

    // The manual top-up form (the page also schedules tranches by date, with the same fields).
    const topUp = manager.getByTestId('topup-form');
    await topUp.getByLabel("Percentuale dell'importo spettante").fill('150');
    await manager.getByRole('button', { name: 'Ricarica tutta la misura' }).click();
    await expect(manager.getByTestId('error-summary').textContent()).resolves.toContain(
      'Scrivi una percentuale da 1 a 100',
    );
    expect((await marioBalanceOrNull())?.creditedCents ?? 0).toBe(0);
    await expectAccessible(manager);

    await topUp.getByLabel("Percentuale dell'importo spettante").fill('100');
    await manager.getByRole('button', { name: 'Ricarica tutta la misura' }).click();
    await expect(manager.getByTestId('topup-credited').textContent()).resolves.toContain(
      euro(entitlement),
    );
    await expectAccessible(manager);
    // The same tranche again credits nothing.
    await manager.getByRole('button', { name: 'Ricarica tutta la misura' }).click();
    await expect(manager.getByTestId('topup-credited').textContent()).resolves.toContain(euro(0));
    const balance = await marioBalance();
    expect(balance.creditedCents).toBe(entitlement);
    expect(balance.availableCents).toBe(entitlement);
  });

  /** The till's agreement for this test's measure (the demo shop also has the demo's one). */
  async function chooseAgreement(page: Page): Promise<void> {
    const agreement = page.getByLabel('Convenzione (misura)');
    const value = await agreement
      .locator('option', { hasText: CAMPAIGN_TITLE })
      .getAttribute('value');
    await agreement.selectOption(value ?? '');
  }

  async function charge(
    page: Page,
    card: { fiscalCode?: string; qr?: string },
    amount: string,
    typedPin: string,
  ): Promise<void> {
    await page.goto(`${web}/esercente/${merchantId}/cassa`);
    const form = page.getByTestId('pos-form');
    await chooseAgreement(page);
    await form.getByLabel('Categoria di prodotti').selectOption('FOOD');
    if (card.qr) await form.getByLabel('Codice QR letto dal lettore').fill(card.qr);
    if (card.fiscalCode) {
      await form.getByLabel('Oppure codice fiscale del titolare').fill(card.fiscalCode);
    }
    await form.getByLabel('Importo in euro').fill(amount);
    await form.getByLabel('PIN della carta').fill(typedPin);
    await form.getByRole('button', { name: 'Addebita' }).click();
    await page.waitForLoadState('load');
  }

  it('lets the cashier charge by codice fiscale and by QR code, and refuses clearly', async () => {
    const cashier = await staffPage(demoEmail('MERCHANT', 'CASHIER'));
    await cashier.goto(`${web}/esercente`);
    await cashier.getByTestId('nav-esercente-cassa').click();
    await cashier.waitForURL(`${web}/esercente/${merchantId}/cassa`);
    // The till's link loads a new document (its camera policy): wait until it is interactive.
    await cashier.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
    // Two accredited agreements (this measure's and the demo's): the cashier chooses.
    await expect(
      cashier.getByLabel('Convenzione (misura)').locator('option').count(),
    ).resolves.toBeGreaterThanOrEqual(2);
    await chooseAgreement(cashier);
    await expect(cashier.getByLabel('Convenzione (misura)').inputValue()).resolves.not.toBe('');
    await expectAccessible(cashier);

    // By codice fiscale: 12,50 euro.
    await charge(cashier, { fiscalCode: MARIO.toLowerCase() }, '12,50', pin);
    spent += 1250;
    const receipt = cashier.getByTestId('pos-receipt');
    await expect(receipt.count()).resolves.toBe(1);
    await expect(cashier.getByTestId('pos-receipt-amount').textContent()).resolves.toContain(
      euro(1250),
    );
    await expect(cashier.getByTestId('pos-receipt-residual').textContent()).resolves.toContain(
      euro(entitlement - spent),
    );
    const firstId = ((await cashier.getByTestId('pos-receipt-id').textContent()) ?? '').trim();
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
    await expectAccessible(cashier);

    // By the QR payload (as a scanner types it): 7,05 euro.
    const cards = await gql<{ myCards: { qrPayload: string | null; number: string }[] }>(
      platform.urls.gateway,
      `{ myCards { qrPayload number } }`,
      {},
      { token: marioToken },
    );
    const qr = cards.data?.myCards[0]?.qrPayload ?? '';
    expect(qr).not.toBe('');
    const last4 = (cards.data?.myCards[0]?.number ?? '').slice(-4);
    expect(last4).toMatch(/^\d{4}$/);
    await charge(cashier, { qr }, '7,05', pin);
    spent += 705;
    await expect(cashier.getByTestId('pos-receipt-residual').textContent()).resolves.toContain(
      euro(entitlement - spent),
    );

    // A wrong PIN: refused, nothing spent.
    const wrong = pin === '000000' ? '000001' : '000000';
    await charge(cashier, { fiscalCode: MARIO }, '1,00', wrong);
    await expect(cashier.getByTestId('pos-receipt').count()).resolves.toBe(0);
    await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toContain('PIN errato');
    await expectAccessible(cashier);

    // More than the credit: refused.
    await charge(cashier, { fiscalCode: MARIO }, euro(entitlement).replace(/[^\d,.]/g, ''), pin);
    await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toMatch(
      /credito insufficiente/i,
    );
    expect((await marioBalance()).spentCents).toBe(spent);

    // A bad amount never reaches the API.
    await charge(cashier, { fiscalCode: MARIO }, '12,345', pin);
    await expect(cashier.getByTestId('error-summary').textContent()).resolves.toContain(
      'Scrivi un importo in euro',
    );
    await expect(cashier.getByLabel('Importo in euro').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await expectAccessible(cashier);

    // A card that does not exist (Giulia has none): refused clearly, nothing spent.
    await charge(cashier, { fiscalCode: demoCitizen('Giulia').fiscalCode }, '1,00', pin);
    await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toContain(
      'Carta non trovata',
    );
    await expectAccessible(cashier);

    // A category the measure excludes (the till offers only the shop's; a tampered form posts
    // alcohol): refused by the API with its reason, nothing spent.
    await cashier.goto(`${web}/esercente/${merchantId}/cassa`);
    await chooseAgreement(cashier);
    const excluded = await cashier.request.post(`${web}/esercente/${merchantId}/cassa?/charge`, {
      form: {
        idempotencyKey: await cashier.locator('input[name="idempotencyKey"]').inputValue(),
        accreditationId: await cashier.getByLabel('Convenzione (misura)').inputValue(),
        category: 'ALCOHOL',
        fiscalCode: MARIO,
        qr: '',
        amount: '1,00',
        pin,
      },
      headers: { origin: web },
    });
    expect(await excluded.text()).toContain('Questa categoria di prodotti non si può pagare');
    expect((await marioBalance()).spentCents).toBe(spent);

    // The same form posted twice (a double submit) charges once.
    await cashier.goto(`${web}/esercente/${merchantId}/cassa`);
    const key = await cashier.locator('input[name="idempotencyKey"]').inputValue();
    await chooseAgreement(cashier);
    const accreditationId = await cashier.getByLabel('Convenzione (misura)').inputValue();
    const post = () =>
      cashier.request.post(`${web}/esercente/${merchantId}/cassa?/charge`, {
        form: {
          idempotencyKey: key,
          accreditationId,
          category: 'FOOD',
          fiscalCode: MARIO,
          qr: '',
          amount: '2,00',
          pin,
        },
        headers: { origin: web },
      });
    const [one, two] = [await post(), await post()];
    expect(one.status()).toBe(200);
    expect(two.status()).toBe(200);
    expect(await two.text()).toContain(key);
    spent += 200;
    expect((await marioBalance()).spentCents).toBe(spent);
    // Each render has a new key.
    await cashier.reload();
    await expect(cashier.locator('input[name="idempotencyKey"]').inputValue()).resolves.not.toBe(
      key,
    );

    // The recent payments (the demo's too): ours once each, the double submit once; void the
    // first one.
    for (const id of [firstId, key]) {
      await expect(
        cashier.locator(`[data-testid="pos-payment"][data-id="${id}"]`).count(),
      ).resolves.toBe(1);
    }
    await expect(
      cashier.locator(`[data-testid="pos-payment"][data-id="${key}"]`).count(),
    ).resolves.toBe(1);
    // Each row says which card paid: the last 4 digits of Mario's card, never the number.
    for (const id of [firstId, key]) {
      const card = cashier
        .locator(`[data-testid="pos-payment"][data-id="${id}"]`)
        .getByTestId('pos-payment-card');
      await expect(card.textContent()).resolves.toContain(`•••• ${last4}`);
    }
    await expect(cashier.getByTestId('pos-payments').textContent()).resolves.not.toContain(
      cards.data!.myCards[0]!.number,
    );
    const firstRow = cashier.locator(`[data-testid="pos-payment"][data-id="${firstId}"]`);
    const firstAt = ((await firstRow.locator('td').first().textContent()) ?? '').trim();
    expect(firstAt).toMatch(/\d{2}\/\d{2}\/\d{2,4}.*\d{2}:\d{2}:\d{2}/);
    // "Annulla" voids nothing yet: it asks to confirm, naming the payment (time in Rome, amount,
    // last digits of the card).
    const askToVoid = async () => {
      await firstRow.getByRole('button', { name: /^Annulla/ }).click();
      await cashier.waitForURL(new RegExp(`annulla=${firstId}`));
      const confirm = cashier.getByTestId('pos-confirm');
      await expect(confirm.count()).resolves.toBe(1);
      return confirm;
    };
    let confirm = await askToVoid();
    await expect(
      confirm.getByRole('heading', { name: 'Annullare questo pagamento?' }).count(),
    ).resolves.toBe(1);
    await expect(confirm.getByTestId('pos-confirm-at').textContent()).resolves.toContain(firstAt);
    await expect(confirm.getByTestId('pos-confirm-amount').textContent()).resolves.toContain(
      euro(1250),
    );
    await expect(confirm.getByTestId('pos-confirm-card').textContent()).resolves.toContain(
      `•••• ${last4}`,
    );
    await expectAccessible(cashier);
    expect((await marioBalance()).spentCents).toBe(spent);
    // "Torna alla cassa" voids nothing.
    await confirm.getByRole('link', { name: 'Torna alla cassa' }).click();
    await cashier.waitForURL(`${web}/esercente/${merchantId}/cassa`);
    await expect(cashier.getByTestId('pos-confirm').count()).resolves.toBe(0);
    await expect(firstRow.getAttribute('data-status')).resolves.toBe('AUTHORISED');
    expect((await marioBalance()).spentCents).toBe(spent);
    // Confirmed (from the keyboard): voided.
    confirm = await askToVoid();
    await confirm.getByRole('button', { name: 'Conferma annullamento' }).focus();
    await cashier.keyboard.press('Enter');
    await cashier.waitForURL(/esito=annullato/);
    await expect(cashier.getByTestId('pos-confirm').count()).resolves.toBe(0);
    await expect(
      cashier
        .locator(`[data-testid="pos-payment"][data-id="${firstId}"]`)
        .getAttribute('data-status'),
    ).resolves.toBe('VOIDED');
    spent -= 1250;
    expect((await marioBalance()).spentCents).toBe(spent);
    await expectAccessible(cashier);
    // The money above the book adds up after the payments and the void.
    expect(await reconciliationProblems(platform.urls.gateway)).toEqual([]);
  });

  it('says at the fifth wrong PIN that the card is now blocked', async () => {
    const cashier = await staffPage(demoEmail('MERCHANT', 'CASHIER'));
    const wrong = pin === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--) {
      await charge(cashier, { fiscalCode: MARIO }, '1,00', wrong);
      await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toContain(
        `PIN errato: ${left} tentativi rimasti`,
      );
    }
    await charge(cashier, { fiscalCode: MARIO }, '1,00', wrong);
    await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toContain(
      'PIN errato: era il quinto tentativo, la carta ora è bloccata. Rivolgersi al Comune per sbloccarla.',
    );
    await expectAccessible(cashier);
    // Blocked now: even the right PIN is refused as a blocked card.
    await charge(cashier, { fiscalCode: MARIO }, '1,00', pin);
    await expect(cashier.getByTestId('pos-refused').textContent()).resolves.toContain(
      'La carta è bloccata.',
    );
    expect((await marioBalance()).spentCents).toBe(spent);
    // The Comune unblocks it (the tests below pay with it again).
    const staff = await login(platform.urls.gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const mine = await gql<{ myCards: { id: string }[] }>(
      platform.urls.gateway,
      `{ myCards { id } }`,
      {},
      { token: marioToken },
    );
    const unblocked = await gql<{ unblockCard: { status: string } }>(
      platform.urls.gateway,
      `mutation($id: ID!) { unblockCard(id: $id) { status } }`,
      { id: mine.data!.myCards[0]!.id },
      { token: staff.token },
    );
    expect(unblocked.data?.unblockCard.status, JSON.stringify(unblocked.errors)).toBe('ACTIVE');
  });

  it('shows Mario his credit per measure and the movements', async () => {
    ({ page: mario, token: marioToken } = await portal.citizenPage(MARIO, { reuse: mario }));
    await mario.goto(`${web}/carta`);
    const balance = mario.getByTestId('balance').filter({ hasText: CAMPAIGN_TITLE });
    await expect(balance.count()).resolves.toBe(1);
    await expect(balance.getByTestId('balance-available').textContent()).resolves.toContain(
      euro(entitlement - spent),
    );
    await expect(balance.getByTestId('balance-credited').textContent()).resolves.toContain(
      euro(entitlement),
    );
    await expect(balance.getByTestId('balance-spent').textContent()).resolves.toContain(
      euro(spent),
    );
    const codes = await mario
      .getByTestId('movement')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(codes.filter((c) => c === 'TOPUP')).toHaveLength(1);
    expect(codes.filter((c) => c === 'PAYMENT')).toHaveLength(3);
    expect(codes.filter((c) => c === 'PAYMENT_VOID')).toHaveLength(1);
    await expect(
      mario.getByTestId('movement').filter({ hasText: 'Ricarica' }).textContent(),
    ).resolves.toContain(euro(entitlement));
    await expectAccessible(mario);
  });

  it('lets the cashier scan the QR code with the camera, and says so when there is no camera', async () => {
    // This browser has no camera: the scanner says so and the field still takes typing.
    const plain = await staffPage(demoEmail('MERCHANT', 'CASHIER'));
    await plain.goto(`${web}/esercente/${merchantId}/cassa`);
    await plain.getByTestId('qr-scan-start').click();
    await plain
      .getByTestId('qr-scan-status')
      .filter({ hasText: 'Fotocamera non disponibile' })
      .waitFor();
    await expect(plain.getByLabel('Codice QR letto dal lettore').inputValue()).resolves.toBe('');
    await expectAccessible(plain);

    // A browser whose camera films Mario's card.
    const cards = await gql<{ myCards: { qrPayload: string | null; number: string }[] }>(
      platform.urls.gateway,
      `{ myCards { qrPayload number } }`,
      {},
      { token: marioToken },
    );
    const qr = cards.data?.myCards[0]?.qrPayload ?? '';
    expect(qr).not.toBe('');
    const last4 = (cards.data?.myCards[0]?.number ?? '').slice(-4);
    expect(last4).toMatch(/^\d{4}$/);
    const camera = await launchBrowser(await qrCamera(qr));
    try {
      const cashier = await staffPage(demoEmail('MERCHANT', 'CASHIER'), camera);
      await cashier.goto(`${web}/esercente/${merchantId}/cassa`);
      await chooseAgreement(cashier);
      await cashier.getByTestId('qr-scan-start').click();
      await cashier.getByTestId('qr-scan-status').filter({ hasText: 'Codice QR letto' }).waitFor();
      await expect(cashier.getByLabel('Codice QR letto dal lettore').inputValue()).resolves.toBe(
        qr,
      );
      // The focus moved on to the amount.
      await expect(cashier.evaluate(() => document.activeElement?.id ?? '')).resolves.toBe(
        'pos-amount',
      );
      await expectAccessible(cashier);
      const form = cashier.getByTestId('pos-form');
      await form.getByLabel('Categoria di prodotti').selectOption('FOOD');
      await form.getByLabel('Importo in euro').fill('3,00');
      await form.getByLabel('PIN della carta').fill(pin);
      await form.getByRole('button', { name: 'Addebita' }).click();
      await cashier.waitForLoadState('load');
      await expect(cashier.getByTestId('pos-receipt-amount').textContent()).resolves.toContain(
        euro(300),
      );
      spent += 300;
      expect((await marioBalance()).spentCents).toBe(spent);
    } finally {
      await camera.close();
    }
  });

  it('keeps people who do not work at the shop out of its till (403)', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    for (const path of [`/esercente/${merchantId}/cassa`, `/esercente/${merchantId}/convenzioni`]) {
      const answer = await operator.goto(`${web}${path}`);
      expect(answer?.status(), path).toBe(403);
    }
    await expectAccessible(operator);
    const before = (await marioBalance()).spentCents;
    const posted = await operator.request.post(`${web}/esercente/${merchantId}/cassa?/charge`, {
      form: {
        idempotencyKey: randomUUID(),
        accreditationId: randomUUID(),
        category: 'FOOD',
        fiscalCode: MARIO,
        amount: '1,00',
        pin,
      },
      headers: { origin: web },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    // The owner of the shop is not the cashier of another merchant: an id it does not belong to.
    const owner = await staffPage(demoEmail('MERCHANT', 'OWNER'));
    const other = await owner.goto(`${web}/esercente/${randomUUID()}/cassa`);
    expect(other?.status()).toBe(403);
    expect((await marioBalance()).spentCents).toBe(before);
  });

  it('lets the operator suspend the shop: its till no longer offers that agreement', async () => {
    const operator = await staffPage(demoEmail('COMUNE', 'OPERATOR'));
    await operator.goto(`${web}/comune/${COMUNE}/esercenti`);
    await operator
      .getByTestId('shop-row')
      .filter({ hasText: SHOP })
      .getByRole('button', { name: /^Sospendi/ })
      .click();
    await expect(operator.getByTestId('shop-consequence').textContent()).resolves.toContain(
      'non potrà più accettare le carte',
    );
    // Cancel changes nothing.
    await operator.getByTestId('shop-cancel').click();
    await operator.waitForURL(`${web}/comune/${COMUNE}/esercenti`);
    await expect(
      operator.getByTestId('shop-row').filter({ hasText: SHOP }).getAttribute('data-status'),
    ).resolves.toBe('ACCREDITED');
    await operator
      .getByTestId('shop-row')
      .filter({ hasText: SHOP })
      .getByRole('button', { name: /^Sospendi/ })
      .click();
    await operator.getByTestId('shop-confirm-form').getByRole('button').click();
    await operator.waitForURL(/esito=SUSPENDED/);
    await expect(
      operator.getByTestId('shop-row').filter({ hasText: SHOP }).getAttribute('data-status'),
    ).resolves.toBe('SUSPENDED');
    await expectAccessible(operator);
    const cashier = await staffPage(demoEmail('MERCHANT', 'CASHIER'));
    await cashier.goto(`${web}/esercente/${merchantId}/cassa`);
    // Only the demo's agreement is left at the till.
    const agreements = cashier.getByTestId('pos-form').getByLabel('Convenzione (misura)');
    await expect(agreements.locator('option', { hasText: CAMPAIGN_TITLE }).count()).resolves.toBe(
      0,
    );
    await expect(
      agreements.locator('option', { hasText: 'primo semestre 2026' }).count(),
    ).resolves.toBe(1);
    await cashier.goto(`${web}/esercente/${merchantId}/convenzioni`);
    await expect(
      cashier
        .getByTestId('shop-request')
        .filter({ hasText: CAMPAIGN_TITLE })
        .getAttribute('data-status'),
    ).resolves.toBe('SUSPENDED');
    await expectAccessible(cashier);
  });

  it('lets the manager schedule recurring top-ups of a measure of its own: the plan first, then the tranches', async () => {
    const gateway = platform.urls.gateway;
    const { token } = await login(gateway, demoEmail('COMUNE', 'MANAGER'), DEMO_PASSWORD);
    const day = 86_400_000;
    const now = Date.now();
    const campaignId = await createCampaign(gateway, token, {
      title: `Buoni a rate ${randomUUID().slice(0, 8)}`,
      description: 'Buoni di prova per le ricariche ricorrenti.',
      spendingUntil: daysAhead(200),
    });
    const tranches = async () =>
      (
        await gql<{ topUpSchedule: { tranches: { number: number; status: string }[] } }>(
          gateway,
          `query($id: ID!) { topUpSchedule(campaignId: $id) { tranches { number status } } }`,
          { id: campaignId },
          { token },
        )
      ).data!.topUpSchedule.tranches.map((t) => [t.number, t.status]);

    const manager = await staffPage(demoEmail('COMUNE', 'MANAGER'));
    await manager.goto(`${web}/comune/${COMUNE}/misure/${campaignId}/ricariche`);
    const form = manager.getByTestId('rec-form');
    // A first month already past: the field's error, nothing scheduled.
    await form.getByLabel('Primo mese').fill('2020-01');
    await form.getByRole('button', { name: 'Mostra le rate da programmare' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#rec-month').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(manager.locator('#rec-month-error').innerText()).resolves.toContain(
      'un giorno passato',
    );
    await expectAccessible(manager);
    expect(await tranches()).toEqual([]);

    // Next month, on the 31st, for 3 months: the plan (days clamped; the portal writes dd/mm/yyyy).
    const [y, mo] = new Date(now + 40 * day).toISOString().slice(0, 7).split('-').map(Number);
    const month = (i: number) => {
      const index = y! * 12 + (mo! - 1) + i;
      return [Math.floor(index / 12), (index % 12) + 1] as const;
    };
    const last = (i: number) => {
      const [yy, mm] = month(i);
      const d = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
      return `${String(d).padStart(2, '0')}/${String(mm).padStart(2, '0')}/${yy}`;
    };
    await form.getByLabel('Primo mese').fill(`${y}-${String(mo).padStart(2, '0')}`);
    await form.getByLabel('Giorno di ogni mese').fill('31');
    await form.getByLabel('Per quanti mesi').fill('3');
    await form.getByRole('button', { name: 'Mostra le rate da programmare' }).click();
    const rows = manager.getByTestId('rec-plan-row');
    await rows.first().waitFor();
    await expect(rows.allInnerTexts()).resolves.toEqual([
      `1\t33%\t${last(0)}`,
      `2\t34%\t${last(1)}`,
      `3\t33%\t${last(2)}`,
    ]);
    expect(await tranches()).toEqual([]);
    await expectAccessible(manager);
    await manager
      .getByTestId('rec-confirm-form')
      .getByRole('button', { name: 'Conferma: programma le rate' })
      .click();
    await manager.waitForURL(/esito=ricorrenti/);
    await expect(manager.getByTestId('sched-notice').innerText()).resolves.toBe(
      'Ricariche ricorrenti programmate.',
    );
    await expect(manager.getByTestId('sched-row').count()).resolves.toBe(3);
    // Each tranche is cancellable on its own.
    await manager
      .getByRole('button', { name: 'Annulla la ricarica programmata della tranche 2' })
      .click();
    await manager.waitForURL(/esito=annullata/);
    expect(await tranches()).toEqual([
      [1, 'PENDING'],
      [2, 'CANCELLED'],
      [3, 'PENDING'],
    ]);
    await expectAccessible(manager);
  });
});

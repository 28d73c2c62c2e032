import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CITIZEN,
  DEMO_COMUNE_ID,
  DEMO_ORG,
  DEMO_PASSWORD,
  DEMO_TUTORING,
  demoCitizen,
  demoEmail,
  staffEmail,
} from '../support/demo.js';
import { gql, login } from '../support/graphql.js';
import type { TestPlatform } from '../support/platform.js';
import { openPortal, type Portal } from '../support/portal.js';

/*
 * Earning IES by taking part, in the portal: the Comune's manager writes the rules, a pupil's
 * attendance marked present in the tutoring register earns IES to the booker's wallet (read from
 * third-sector's feed: the manager's "read now"), the association confirms Giuseppe's shift.
 * Its own platform: it creates a VOLUNTEERING rule of the demo circuit, and a shift is paid by the
 * oldest rule in force, so a sharer's rule (federation/ies-circuit makes one) would pay its shift,
 * or this one theirs.
 */

/** ies-circuit's demo circuit (`@welfare/ies-circuit/demo`: DEMO_CIRCUIT_ID, DEMO_CIRCUIT_CODE). */
const CIRCUIT_ID = '1e5c0000-0000-4000-8000-000000000001';
const CIRCUIT_CODE = 'balestrate';
const COMUNE = DEMO_COMUNE_ID;
const LA_ESSE = DEMO_ORG.laEsse;
const AMICI = DEMO_ORG.amiciBalestrate;
const PROGRAMME = DEMO_TUTORING.programmeId;
const CHIARA = DEMO_TUTORING.tutors[0].id;

function romeDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(at);
}

describe('earning IES by taking part', () => {
  let portal: Portal;
  let platform: TestPlatform;
  let web: string;
  let db: pg.Client;
  let startsAt: Date;
  let lessonId = '';

  beforeAll(async () => {
    portal = await openPortal();
    ({ platform, web } = portal);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    // Mario Rossi (the demo family, with Luca enrolled) joins the Balestrate circuit (joining is
    // the members' pages, tested there): an ACTIVE citizen member, as the join makes it.
    await db.query(
      `insert into ies_circuit.member (id, circuit_id, kind, person_id, fiscal_code, display_name, status)
       values ($1, $2, 'CITIZEN', $3, $4, 'Mario Rossi', 'ACTIVE')`,
      [randomUUID(), CIRCUIT_ID, DEMO_CITIZEN.personId, DEMO_CITIZEN.fiscalCode],
    );
    // La Esse's ADMIN opens a room all day and plans a 30-minute lesson within two minutes (as the
    // tutoring test does); the test later moves it to have begun a minute ago.
    const gateway = platform.urls.gateway;
    const { token } = await login(gateway, demoEmail('COOPERATIVE', 'ADMIN'), DEMO_PASSWORD);
    const room = await gql<{ saveTutoringRoom: { id: string } }>(
      gateway,
      `mutation($input: TutoringRoomInput!) { saveTutoringRoom(input: $input) { id } }`,
      {
        input: {
          providerId: LA_ESSE,
          name: 'Aula IES',
          address: 'Via delle Prove 2, Balestrate',
          windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            weekday,
            startsAt: '00:00',
            endsAt: '23:59',
          })),
        },
      },
      { token },
    );
    expect(room.errors).toBeUndefined();
    startsAt = new Date(Math.ceil((Date.now() + 90_000) / 60_000) * 60_000);
    if (romeDay(startsAt) !== romeDay(new Date(startsAt.getTime() + 31 * 60_000))) {
      startsAt = new Date(startsAt.getTime() + 40 * 60_000);
    }
    const planned = await gql<{ planTutoringLessons: { id: string }[] }>(
      gateway,
      `mutation($input: TutoringLessonInput!) { planTutoringLessons(input: $input) { id } }`,
      {
        input: {
          programmeId: PROGRAMME,
          tutorId: CHIARA,
          roomId: room.data!.saveTutoringRoom.id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
          capacity: 3,
        },
      },
      { token },
    );
    expect(planned.errors).toBeUndefined();
    lessonId = planned.data!.planTutoringLessons[0]!.id;
  }, 600_000);
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await portal?.close();
  });

  const expectAccessible = (page: Page) => portal.expectAccessible(page);
  const premi = `/comune/${COMUNE}/ies/${CIRCUIT_ID}/premi`;

  async function lessonHasBegun(): Promise<void> {
    const shift = `${startsAt.getTime() - (Date.now() - 60_000)} milliseconds`;
    await db.query('begin');
    for (const table of ['tutoring_lesson', 'tutoring_booking']) {
      await db.query(
        `update third_sector.${table} set starts_at = starts_at - $2::interval,
           ends_at = ends_at - $2::interval where ${table === 'tutoring_lesson' ? 'id' : 'lesson_id'} = $1`,
        [lessonId, shift],
      );
    }
    await db.query('commit');
  }

  async function createRule(
    manager: Page,
    fields: { kind: string; name: string; amount: string; cap: string },
  ): Promise<void> {
    await manager.goto(`${web}${premi}`);
    await manager.getByTestId('iee-rule-form').waitFor();
    await manager.locator('#iee-kind').selectOption(fields.kind);
    await manager.locator('#iee-name').fill(fields.name);
    await manager.locator('#iee-amount').fill(fields.amount);
    await manager.locator('#iee-cap').fill(fields.cap);
    await manager.getByRole('button', { name: 'Crea la regola' }).click();
    await manager.getByText('Regola creata.').waitFor();
  }

  it('an attendance marked present earns IES to the booker, shown on the earn page', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await manager.goto(`${web}${premi}`);
    await manager.getByTestId('iee-rule-form').waitFor();
    await expectAccessible(manager);
    // Bad input: field errors, nothing created.
    await manager.locator('#iee-name').fill('x');
    await manager.locator('#iee-amount').fill('2,00');
    await manager.locator('#iee-cap').fill('10,00');
    await manager.getByRole('button', { name: 'Crea la regola' }).click();
    await manager.getByTestId('error-summary').waitFor();
    await expect(manager.locator('#iee-name').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(manager);
    // The demo circuit rewards attendance already: 2,00 IES a lesson, at most 10,00 a month.
    await manager.goto(`${web}${premi}`);
    await expect(manager.getByTestId('iee-admin-rules').textContent()).resolves.toContain(
      'Presenza al doposcuola',
    );

    // Mario books the lesson; the tutor marks Luca present once it has begun.
    const family = (await portal.citizenPage(DEMO_CITIZEN.fiscalCode)).page;
    await family.goto(`${web}/tutoraggio/${PROGRAMME}`);
    const lesson = family.getByTestId('upcoming-lesson').first();
    await lesson.getByRole('button', { name: /^Prenota la lezione/ }).click();
    await family.getByTestId('tutoring-notice').waitFor();
    const tutor = await portal.staffPage(demoEmail('COOPERATIVE', 'TUTOR'));
    await lessonHasBegun();
    await tutor.goto(`${web}/ente/${LA_ESSE}/tutoraggio`);
    await tutor.getByTestId('my-lesson-link').first().click();
    await tutor.waitForURL(/\/lezioni\//);
    await tutor.getByTestId('register-form').waitFor();
    await tutor
      .getByRole('group', { name: /Luca Rossi/ })
      .getByText('Presente', { exact: true })
      .click();
    await tutor.getByRole('button', { name: 'Salva le presenze' }).click();
    await tutor.getByTestId('register-saved').waitFor();

    // The manager reads the register now (the feed gives markings a few seconds old).
    let synced = '';
    for (let attempt = 0; attempt < 15 && !/Presenze lette: [1-9]/.test(synced); attempt += 1) {
      await new Promise((r) => setTimeout(r, 2_000));
      await manager.goto(`${web}${premi}`);
      await manager.getByTestId('iee-sync').click();
      await manager.getByTestId('iee-synced').waitFor();
      synced = (await manager.getByTestId('iee-synced').textContent()) ?? '';
    }
    expect(synced).toMatch(/Presenze lette: [1-9]\d*; premi pagati: 1/);
    await expect(manager.getByTestId('iee-admin-rewards').textContent()).resolves.toContain(
      'Mario Rossi',
    );
    await expectAccessible(manager);

    await family.goto(`${web}/ies/${CIRCUIT_CODE}/guadagna`);
    const reward = family.getByTestId('iee-reward-ATTENDANCE');
    await reward.waitFor();
    await expect(reward.textContent()).resolves.toMatch(/2,00\s*IES/);
    await expect(
      family.getByTestId('iee-rule-ATTENDANCE').getByTestId('iee-cap-left').textContent(),
    ).resolves.toMatch(/8,00\s*IES/);
    await expectAccessible(family);
  }, 420_000);

  it('the association confirms a volunteering shift for Giuseppe, once', async () => {
    const manager = await portal.staffPage(staffEmail('balestrate', 'MANAGER'));
    await createRule(manager, {
      kind: 'VOLUNTEERING',
      name: 'Turno di volontariato',
      amount: '5,00',
      cap: '20,00',
    });
    const giuseppe = demoCitizen('Giuseppe');
    const admin = await portal.staffPage(staffEmail('amiciBalestrate', 'ADMIN'));
    const confirm = async () => {
      await admin.goto(`${web}/ente/${AMICI}/ies/volontariato`);
      await admin.getByTestId('iee-shift-form').waitFor();
      await admin.locator('#iee-fiscal-code').fill(giuseppe.fiscalCode);
      await admin.locator('#iee-hours').fill('3');
      await admin.locator('#iee-description').fill('Pulizia della spiaggia');
      await admin.getByTestId('iee-confirm-shift').click();
    };
    await confirm();
    await admin.getByTestId('iee-shift-confirmed').waitFor();
    // Per hour by default: 3 hours at 5,00.
    await expect(admin.getByTestId('iee-shift-confirmed').textContent()).resolves.toMatch(
      /15,00\s*IES/,
    );
    await expectAccessible(admin);
    // The same shift again: refused, with the message.
    await confirm();
    await admin.getByTestId('error-summary').waitFor();
    await expect(admin.getByTestId('error-summary').textContent()).resolves.toContain(
      'già confermato',
    );
    await expectAccessible(admin);

    const citizen = (await portal.citizenPage(giuseppe.fiscalCode)).page;
    await citizen.goto(`${web}/ies/${CIRCUIT_CODE}/guadagna`);
    const reward = citizen.getByTestId('iee-reward-VOLUNTEERING');
    await reward.waitFor();
    await expect(reward.textContent()).resolves.toMatch(/15,00\s*IES/);
    await expectAccessible(citizen);
  }, 300_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TUTORING } from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { setupSuite, type Suite } from './helpers.js';

let suite: Suite;
beforeAll(async () => {
  suite = await setupSuite('tutoring_demo');
});
afterAll(() => suite?.close());

const TABLES = [
  'tutoring_programme',
  'tutoring_tutor',
  'tutoring_room',
  'tutoring_room_window',
  'tutoring_lesson',
  'tutoring_enrolment',
  'tutoring_booking',
] as const;

describe('tutoring demo data', () => {
  it('loads idempotently: the programme, two tutors, two rooms, six weeks of lessons, a booked pupil', async () => {
    await loadDemoData(suite.orm.em.fork(), suite.services);
    const first = await Promise.all(TABLES.map((t) => suite.count(t)));
    expect(first).toEqual([1, 2, 2, 8, 2 * DEMO_TUTORING.weeks, 1, 1]);
    await loadDemoData(suite.orm.em.fork(), suite.services);
    expect(await Promise.all(TABLES.map((t) => suite.count(t)))).toEqual(first);
    const [booking] = await suite.sql<{ status: string }>(
      `select status from third_sector.tutoring_booking`,
    );
    expect(booking!.status).toBe('SEATED');
    const programmes = await suite.services.tutoring.programmes.open(suite.orm.em.fork(), null);
    expect(programmes.map((p) => p.id)).toEqual([DEMO_TUTORING.programmeId]);
  });
});

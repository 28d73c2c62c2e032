import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@welfare/kit';
import { generateGatewayKeys } from '@welfare/kit/auth';
import {
  ATTENDANCE_FEED_PATHS,
  ATTENDANCE_FEED_SETTLE_MS,
  presentAttendancesResponse,
} from '@welfare/kit/contracts';
import { ServiceClient, ServiceRefusal } from '@welfare/kit/service';
import { startSubgraph, type RunningSubgraph } from '@welfare/kit/subgraph';
import { DEMO_TUTORING } from '../src/demo/facts.js';
import { loadDemoData } from '../src/demo/load-demo-data.js';
import { attendanceFeedRoutes } from '../src/modules/tutoring-attendance/attendance-feed.routes.js';
import { member, setupSuite, type Suite } from './helpers.js';

/*
 * The attendance feed the IES circuits read (`POST /internal/ies/present-attendances`), through
 * the subgraph's real internal route (HTTP, service tokens) on a real database, with the demo's
 * booked pupil marked in the register by the services.
 */

let suite: Suite;
let subgraph: RunningSubgraph;
let keys: Record<'ies-circuit' | 'payments', { privateKey: string; publicKey: string }>;
/** The services' clock runs `offsetMs` ahead of the real one (to reach the lesson's start). */
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

let booking: {
  id: string;
  lesson_id: string;
  starts_at: string;
  comune_id: string;
  provider_id: string;
};

const client = (service: 'ies-circuit' | 'payments') =>
  new ServiceClient({
    service,
    privateKey: keys[service].privateKey,
    audience: 'third-sector',
    baseUrl: subgraph.url,
  });
const read = (body: unknown, service: 'ies-circuit' | 'payments' = 'ies-circuit') =>
  client(service).call(ATTENDANCE_FEED_PATHS.presentAttendances, body, presentAttendancesResponse);

async function mark(attendance: 'PRESENT' | 'ABSENT') {
  const admin = member(booking.provider_id, 'COOPERATIVE', 'ADMIN');
  await suite.services.tutoring.attendance.mark(suite.orm.em.fork(), admin, booking.lesson_id, [
    { bookingId: booking.id, attendance },
  ]);
}

beforeAll(async () => {
  suite = await setupSuite('attendance_feed', { now });
  await loadDemoData(suite.orm.em.fork(), suite.services);
  const rows = await suite.sql<typeof booking>(
    `select b.id, b.lesson_id, b.starts_at, p.comune_id, p.provider_id
       from third_sector.tutoring_booking b join third_sector.tutoring_programme p on p.id = b.programme_id
      where b.status = 'SEATED'`,
  );
  booking = rows[0]!;
  keys = { 'ies-circuit': await generateGatewayKeys(), payments: await generateGatewayKeys() };
  subgraph = await startSubgraph({
    name: 'third-sector',
    schema: suite.schema,
    orm: suite.orm,
    host: '127.0.0.1',
    port: 0,
    gatewayPublicKey: (await generateGatewayKeys()).publicKey,
    logger: createLogger('third-sector', 'silent'),
    internal: {
      publicKeys: {
        'ies-circuit': keys['ies-circuit'].publicKey,
        payments: keys.payments.publicKey,
      },
      routes: attendanceFeedRoutes(suite.orm, now),
    },
  });
});
afterAll(async () => {
  await subgraph?.stop();
  await suite?.close();
});

describe('the attendance feed', () => {
  it('gives ies-circuit the attendances marked PRESENT, settled, after its cursor, with the booker and the Comune', async () => {
    expect(booking).toBeDefined();
    expect((await read({ after: null, limit: 50 })).attendances).toEqual([]);
    // The lesson has started: its tutor (here the provider's ADMIN) marks the pupil present.
    offsetMs = new Date(booking.starts_at).getTime() + 60_000 - Date.now();
    await mark('PRESENT');
    // Not settled yet: a marking still committing is never passed by a cursor.
    expect((await read({ after: null, limit: 50 })).attendances).toEqual([]);
    offsetMs += ATTENDANCE_FEED_SETTLE_MS + 1_000;
    const { attendances } = await read({ after: null, limit: 50 });
    expect(attendances).toEqual([
      {
        bookingId: booking.id,
        personId: DEMO_TUTORING.family.personId,
        comuneId: booking.comune_id,
        programmeTitle: 'Doposcuola – tutoraggio scolastico',
        markedAt: expect.any(String) as string,
      },
    ]);
    const cursor = { markedAt: attendances[0]!.markedAt, bookingId: booking.id };
    expect((await read({ after: cursor, limit: 50 })).attendances).toEqual([]);
    // Unmarked: out of the feed. Marked again: back, after the cursor, with its new time.
    offsetMs += 60_000;
    await mark('ABSENT');
    offsetMs += ATTENDANCE_FEED_SETTLE_MS + 1_000;
    expect((await read({ after: null, limit: 50 })).attendances).toEqual([]);
    await mark('PRESENT');
    offsetMs += ATTENDANCE_FEED_SETTLE_MS + 1_000;
    const again = (await read({ after: cursor, limit: 50 })).attendances;
    expect(again.map((a) => a.bookingId)).toEqual([booking.id]);
    expect(again[0]!.markedAt > cursor.markedAt).toBe(true);
  });

  it('answers ies-circuit only, and refuses a bad body by field', async () => {
    const refused = await read({ after: null, limit: 10 }, 'payments').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceRefusal);
    expect((refused as ServiceRefusal).status).toBe(403);
    const bad = await read({ after: { markedAt: 'yesterday', bookingId: 'x' }, limit: 5000 }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ServiceRefusal);
    expect((bad as ServiceRefusal).code).toBe('BAD_USER_INPUT');
    expect((bad as ServiceRefusal).fields.map((f) => f.field).sort()).toEqual([
      'after.bookingId',
      'after.markedAt',
      'limit',
    ]);
  });
});

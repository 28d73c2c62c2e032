import { inject } from 'vitest';
import type { TestPlatform } from './platform.js';
import type { SharedPlatformInfo } from './shared-platform-host.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's shared platforms are asked for (shared-platform-host.ts). */
    sharedPlatformHost: string;
  }
}

/**
 * The platform of this worker slot, shared with the other files that opt in (instead of
 * `startTestPlatform()` or `openPortal()`: `openPortal({ shared: true })`): the default
 * configuration with the portal, started once per vitest worker slot and kept to the end of the
 * run, which saves each file the start of a platform (a database copy and seven processes).
 *
 * A file may share it only when no other file's data can make one of its assertions pass or fail:
 * - it creates what it counts or lists (its own Comune, campaign, offer, cards with its own
 *   numbers…) or reads only what no file changes (the demo's fixed facts, static pages, headers);
 * - it changes nothing another file reads as demo state (the demo's campaigns, accreditations,
 *   tutoring lessons, a demo card's PIN attempts…), and leaves every process running;
 * - it does not assert on whole tables or on background work over all the data (the dispatcher,
 *   the schedulers: another file's rows would be there too).
 * A file that needs another configuration (`subgraphEnv`), a pristine or empty database, or that
 * stops, kills or times processes starts its own with `startTestPlatform`.
 *
 * Sharing today, and the demo state each one changes (a new sharer must not read it):
 * - federation/offers, federation/offer-coverage: offers of La Esse and campaigns in Balestrate's
 *   catalogue, each found by its own id or words (offer-coverage computes the rule from whatever
 *   campaigns there are);
 * - federation/public-welfare, e2e/registry, e2e/segments: households imported into Balestrate's
 *   registry (new codici fiscali), Giulia's draft for the open demo campaign, a saved segment
 *   (deleted); the counts are compared within a test;
 * - e2e/pos: Mario's application and card for the open demo campaign, its top-up, the demo shop's
 *   agreement for it;
 * - e2e/ies-pay: IES payment requests of the demo shop and Giuseppe's payments (found by their
 *   own words; small amounts out of his demo IES);
 * - e2e/export (a Comune of its own), e2e/required-pages, e2e/security-headers: nothing.
 * - e2e/ies-conversion: euro received for the demo shop in the Balestrate IES circuit (its own
 *   bank reference), its conversion approved; the circuit's figures are compared as deltas;
 * - e2e/ies-create: a new IES circuit of Balestrate with its own random code (its name sorting after the
 *   demo's), nothing of the demo's state;
 * - federation/pagopa (a Comune of its own), e2e/pagopa: pagoPA notices of Balestrate and of its
 *   own Comune, each found by its own id or notice number; nothing of the demo's state.
 * - federation/ies-circuit: its own citizens (who join the Balestrate IES circuit), shop (a member
 *   accepted), Comune and VOLUNTEERING rule of the circuit; euro received for its own citizen, a
 *   shift of theirs confirmed by the Amici di Balestrate; the circuit's figures compared as deltas.
 * - e2e/ts-notifications: a room of La Esse and a one-seat lesson of the demo tutoring programme
 *   (months ahead, 06:00), its own citizens' pupils and bookings, and their messages.
 * Not sharing, as they read that state or their own: apply, cards, cases, offer-booking (Mario's
 * applications and bookings), campaigns and catalogue (the demo's lists), monitoring,
 * reimbursements, reconciliation (the demo shop's agreement, whole-Comune money and alerts),
 * messages (the dispatcher over all messages), tutoring (the demo programme's lessons), edge-input
 * (whole-table checksums), gateway and portal (they stop identity), and every file with a
 * `subgraphEnv` or in vitest.config.ts's ALONE.
 *
 * The processes belong to vitest's main process: `stopService`, `startService`, `killService` and
 * `pid` refuse, `output` is empty and `close()` leaves the platform running (the run stops it).
 */
export async function sharedTestPlatform(): Promise<TestPlatform> {
  const slot = process.env.VITEST_POOL_ID ?? '1';
  const response = await fetch(`${inject('sharedPlatformHost')}/platform/${slot}`, {
    method: 'POST',
  });
  if (!response.ok) throw new Error(await response.text());
  const info = (await response.json()) as SharedPlatformInfo;
  const refuse = (what: string) => () => {
    throw new Error(`${what}: not on a shared platform (use startTestPlatform)`);
  };
  return {
    ...info,
    output: [],
    stopService: refuse('stopService'),
    startService: refuse('startService'),
    killService: refuse('killService'),
    pid: refuse('pid'),
    stop: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

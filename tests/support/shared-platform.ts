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
 *   agreement for it; a campaign of its own with recurring tranches scheduled (due in later months);
 * - e2e/ies-pay: IES payment requests of the demo shop and Giuseppe's payments (found by their
 *   own words; small amounts out of his demo IES);
 * - e2e/export (a Comune of its own), e2e/required-pages, e2e/security-headers: nothing.
 * - e2e/ies-conversion: euro received for the demo shop in the Balestrate IES circuit (its own
 *   bank reference), its conversion approved; the circuit's figures are compared as deltas;
 * - e2e/ies-create: two new IES circuits of Balestrate (the MANAGER's and the platform admin's),
 *   each with its own random code (names sorting after the demo's), nothing of the demo's state;
 * - federation/pagopa (a Comune of its own), e2e/pagopa: pagoPA notices of Balestrate and of its
 *   own Comune, each found by its own id or notice number; nothing of the demo's state.
 * - federation/ies-circuit: its own citizens (who join the Balestrate IES circuit), shop (a member
 *   accepted), Comune and VOLUNTEERING rule of the circuit; euro received for its own citizen, a
 *   shift of theirs confirmed by the Amici di Balestrate; the circuit's figures compared as deltas.
 * - e2e/ies-comune-pages: its own VOLUNTEERING rule (edited, then deactivated: a rule in force
 *   would pay federation/ies-circuit's shift) and its own project (hidden) in the
 *   Balestrate IES circuit, found by their own names; a manual demurrage run of that circuit (its
 *   demurrage is 0 and it has no expiry: nothing is charged).
 * - e2e/ies-members: Giulia and Il Girasole join the Balestrate circuit, its expiry rule is set
 *   (36 months); it reads Giuseppe's demo purchase among his movements (20 a page: sharers add a
 *   few each);
 * - e2e/ies-catalogue: Giuseppe books La Esse's baby sitting and pays 10 IES; a project of its
 *   own gets his 5 IES;
 * - e2e/ies-card: the demo card's voucher credit spent (whatever is left), then 8 of Giuseppe's
 *   IES at the demo shop's till (compared as a delta);
 *   Giuseppe's IES are spent by the IES sharers (about 26 of his demo 40): none reads his exact
 *   balance;
 * - federation/third-sector: a renewal request of La Esse with a document; it reads the demo's
 *   accreditations of Balestrate, which no sharer changes;
 * - e2e/corporate-plans: a plan of Officine Rossi's, funded: the demo employees get its credit;
 *   it reads the demo employees' categories (25), which no sharer changes.
 * - e2e/comune-offer-review: an offer of La Esse in Balestrate of its own (found by its own
 *   words), withdrawn by the Comune; a tariff of Balestrate (CULTURE per package, 900 €, above any
 *   offer) set, then removed at the end.
 * - e2e/ts-notifications: a room of La Esse and a one-seat lesson of the demo tutoring programme
 *   (months ahead, 06:00), its own citizens' pupils and bookings, and their messages.
 * - e2e/shops-map: nothing; it reads Da Rosa's accreditation for the spending campaign (no
 *   sharer changes it) and the catalogue's first page (any offer with coordinates).
 * - e2e/comune-catalogue-settings: Balestrate's patron saint day (set to a day about ten months
 *   ahead, then restored to what it was) and a synonym group of its own random word (removed).
 * - e2e/tutoring-catalogue: a tutoring programme of Balestrate run by La Esse of its own (found by
 *   its own word), Mario's pupil of its own enrolled in it; the programme is closed at the end.
 * - e2e/provider-closures: a closure of La Esse (two bookable days of a demo offer, days ahead),
 *   removed at the end; a campaign of Balestrate of its own (published, then closed) that the
 *   demo shop asks to join with coordinates, under its own business name.
 * - e2e/catalogue-mobile: nothing; it reads the catalogue's demo sport offers and "Doposcuola
 *   e aiuto compiti" (no sharer changes them), counts compared within a page.
 * - e2e/household-file: a social worker's note of its own on Giuseppe's household (only the
 *   household page shows notes); it reads his registry facts and that he has an application.
 * - e2e/staff-worklist: Giuseppe's application to the open demo campaign (submitted, a rejection
 *   asked and cancelled, then rejected); it compares Balestrate's worklist page with the
 *   API's counts read just before (no other file's data can make that fail). Its second approval
 *   turns Balestrate's decision policy on (with a 120 € limit) and off again (afterAll) and leaves
 *   Giuseppe's application REJECTED (no other file reads it; withdrawn if the test failed before);
 *   a campaign of Balestrate of its own (published, then closed), Giuseppe's application to it
 *   approved (and its message to him).
 * - e2e/direct-list: a campaign of Balestrate of its own (published, then closed), its list of
 *   two beneficiaries of its own (codici fiscali no demo person has), their cards and top-up.
 * Not sharing, as they read that state or their own: apply, cards, cases, offer-booking (Mario's
 * applications and bookings), campaigns and catalogue (the demo's lists), monitoring,
 * reimbursements, reconciliation (the demo shop's agreement, whole-Comune money and alerts),
 * messages (the dispatcher over all messages), tutoring (the demo programme's lessons), edge-input
 * (whole-table checksums), gateway and portal (they stop identity), and every file with a
 * `subgraphEnv` or in vitest.config.ts's ALONE. Also apart: federation/ies-card (it freezes
 * ies-circuit) and ies-checkout (Giuseppe's exact demo IES; it stops ies-circuit), pin-attempts
 * (an agreement of the demo shop for the demo campaign, which e2e/pos changes), payee-checkouts
 * (La Esse's whole list of payments, which ies-catalogue adds to; whole-table counts),
 * corporate-checkout and the other corporate-* files (the demo employees' credit, which
 * corporate-plans adds to), provider-payments (La Esse's payouts of the month), e2e/ies-earn (a
 * shift is paid by the oldest VOLUNTEERING rule in force of the circuit: another file's rule
 * would pay it).
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

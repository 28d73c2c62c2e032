// The days an offer can be booked, as the API lists them (its weekly schedule and the booking
// calendar: national holidays, the Comune's patron saint, the provider's closures). Tests that
// book "n days ahead" book the n-th bookable day instead: distinct n still give distinct days.
import type { Page } from 'playwright-core';
import { gql } from './graphql.js';

/** A test's contact for the provider (a booking needs a phone or an e-mail). */
export const TEST_CONTACT_EMAIL = 'famiglia.test@esempio.it';

/** Whole days from today (UTC, as the tests' day helpers count) to `day` (yyyy-mm-dd), at least 0. */
export function offsetOf(day: string): number {
  const today = new Date().toISOString().slice(0, 10);
  return Math.max(
    0,
    Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000),
  );
}

/** The `n`-th day (0-based) the offer can be booked from today, through `gateway`. */
export async function bookableDay(gateway: string, offerId: string, n: number): Promise<string> {
  const answer = await gql<{ offerBookableDays: { date: string }[] }>(
    gateway,
    `query($offerId: ID!, $first: Int) { offerBookableDays(offerId: $offerId, first: $first) { date } }`,
    { offerId, first: Math.min(90, n + 1) },
  );
  const day = answer.data?.offerBookableDays[n]?.date;
  if (!day) throw new Error(`offer ${offerId} has no bookable day number ${n}`);
  return day;
}

/** The bookable day the tests meant by `day` (yyyy-mm-dd, some days ahead). */
export function bookableDayFor(gateway: string, offerId: string, day: string): Promise<string> {
  return bookableDay(gateway, offerId, offsetOf(day));
}

/**
 * Chooses, on the booking form, the `n`-th day listed (0-based; full days count too) and answers
 * its value (yyyy-mm-dd).
 */
export async function chooseDay(page: Page, n: number): Promise<string> {
  const select = page.getByLabel('Giorno del servizio');
  const values = await select
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  const day = values[n];
  if (!day) throw new Error(`the booking form lists no day number ${n}`);
  await select.selectOption(day);
  return day;
}

/**
 * Fills the booking form's phone for the provider (a booking needs a phone or an e-mail; a SPID
 * login brings no e-mail to prefill).
 */
export async function fillContact(page: Page, phone = '333 765 4321'): Promise<void> {
  await page.locator('#booking-phone').fill(phone);
}

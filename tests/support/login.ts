import { setTimeout as sleep } from 'node:timers/promises';
import type { Page, Response } from 'playwright-core';
import { DEMO_PASSWORD } from './demo.js';
import { gql, LOGIN, type LoginResult } from './graphql.js';

/**
 * How long each step of a login may take: the form post, the provider's page, the landing page.
 * Generous, for a full run on a loaded 2-core machine; a step that fails fails at once anyway.
 */
export const LOGIN_STEP_TIMEOUT_MS = 45_000;

/**
 * Attempts at a login the platform answered "service unavailable" (503, `?errore=servizio`): it
 * sheds load or a call timed out, and says to try again. Any other refusal fails at once.
 */
const ATTEMPTS = 3;

const step = { timeout: LOGIN_STEP_TIMEOUT_MS };

/** The login page and the landing that only redirects (to the person's work or profile). */
const LOGIN_PATHS = ['/accedi', '/inizio'];

/** The error summary's text on the page, if it shows one. */
async function errorSummary(page: Page): Promise<string> {
  const summary = page.getByTestId('error-summary');
  return (await summary.count()) ? ((await summary.first().textContent()) ?? '').trim() : '';
}

/**
 * Logs staff in with email and password on `page`, waiting on a definite outcome: the response
 * of the login form's post (303 on success), then the landing page: `landing` when given, else
 * wherever the portal sends the person after `/inizio` (a Comune's worklist, their area or their
 * profile). A refusal fails with the page's message.
 */
export async function logInStaff(
  page: Page,
  web: string,
  email: string,
  { password = DEMO_PASSWORD, landing }: { password?: string; landing?: string } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${web}/accedi`, step);
    const form = page.getByTestId('login-form');
    await form.getByLabel('Email').fill(email, step);
    await form.getByLabel('Password', { exact: true }).fill(password, step);
    const posted = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/accedi',
      step,
    );
    await form.getByRole('button', { name: 'Accedi', exact: true }).click(step);
    const response = await posted;
    if (response.status() === 303) {
      await page.waitForURL(
        landing === undefined
          ? (url) => url.origin === new URL(web).origin && !LOGIN_PATHS.includes(url.pathname)
          : `${web}${landing}`,
        step,
      );
      return;
    }
    await page.waitForLoadState('load', step);
    const problem = `staff login of ${email}: ${response.status()} ${await errorSummary(page)}`;
    if (response.status() === 503 && attempt < ATTEMPTS) {
      await sleep(1_000 * attempt);
      continue;
    }
    throw new Error(problem);
  }
}

/**
 * Logs staff in on `page` the quick way: the gateway's login, its session token set as the portal's
 * session cookie (as the login form's action sets it), then the profile page. A login the gateway
 * sheds (SERVICE_UNAVAILABLE) is tried again; any other refusal fails at once.
 */
export async function logInStaffByApi(
  page: Page,
  web: string,
  gateway: string,
  email: string,
  password: string = DEMO_PASSWORD,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await gql<LoginResult>(gateway, LOGIN, { input: { email, password } });
    const session = response.data?.login;
    if (session) {
      await page
        .context()
        .addCookies([
          { name: 'session', value: session.token, url: web, httpOnly: true, sameSite: 'Lax' },
        ]);
      await page.goto(`${web}/profilo`, step);
      if (new URL(page.url()).pathname !== '/profilo') {
        throw new Error(`staff login of ${email}: the portal answered ${page.url()}`);
      }
      return;
    }
    const unavailable = response.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
    if (unavailable && attempt < ATTEMPTS) {
      await sleep(1_000 * attempt);
      continue;
    }
    throw new Error(`staff login of ${email}: ${JSON.stringify(response.errors)}`);
  }
}

/**
 * Logs a citizen in on `page` through the test SPID/CIE provider (at `oidc`), waiting on a
 * definite outcome at each step: the provider's page, the response of its form's post, then the
 * landing page (`/profilo`) or the login page with the portal's error (`?errore=`).
 */
export async function logInCitizen(
  page: Page,
  web: string,
  oidc: string,
  fiscalCode: string,
  { landing = '/profilo' }: { landing?: string } = {},
): Promise<void> {
  const refused = (url: URL) => url.pathname === '/accedi' && url.searchParams.has('errore');
  const retry = async (attempt: number, problem: string) => {
    if (page.url().includes('errore=servizio') && attempt < ATTEMPTS) {
      await sleep(1_000 * attempt);
      return;
    }
    throw new Error(`citizen login of ${fiscalCode}: ${problem}`);
  };
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${web}/accedi`, step);
    await page.getByTestId('login-spid').click(step);
    await page.waitForURL((url) => url.href.startsWith(oidc) || refused(url), step);
    if (!page.url().startsWith(oidc)) {
      await retry(attempt, `the portal answered ${page.url()}`);
      continue;
    }
    await page.getByLabel('Codice fiscale').fill(fiscalCode, step);
    const posted: Promise<Response> = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().startsWith(`${oidc}/interaction/`),
      step,
    );
    await page.getByRole('button', { name: 'Entra' }).click(step);
    const response = await posted;
    if (response.status() >= 400) {
      throw new Error(
        `citizen login of ${fiscalCode}: the provider answered ${response.status()} ${await response.text()}`,
      );
    }
    await page.waitForURL(
      (url) => url.href.startsWith(web) && (url.pathname === landing || refused(url)),
      step,
    );
    if (!refused(new URL(page.url()))) return;
    await retry(attempt, `the portal answered ${page.url()}`);
  }
}

/**
 * True when the page's context is still logged in as the person `who` names (an email or a
 * codice fiscale their profile shows): asked of the portal beside the page, which stays where it
 * is.
 */
export async function isLoggedInAs(page: Page, web: string, who: string): Promise<boolean> {
  const profile = await page.request.get(`${web}/profilo`, { maxRedirects: 0, ...step });
  return profile.status() === 200 && (await profile.text()).includes(who);
}

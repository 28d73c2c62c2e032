// The "Ricariche programmate" section of a campaign's top-ups: its load and its two actions.
// Their failures use their own keys (`schedFailure`, `schedValues`), apart from the manual form's.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { formFailure, type FormFailure, statusOf } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import { text } from '$lib/server/forms';
import {
  CancelScheduledTopUpMutation,
  RecurringTopUpPlanQuery,
  ScheduleRecurringTopUpsMutation,
  ScheduleTopUpMutation,
  TopUpScheduleQuery,
} from '$lib/server/topup-schedule';

const FIELDS = ['number', 'percent', 'dueOn'] as const;
export const SCHED_NOTICES = ['programmata', 'annullata', 'ricorrenti'] as const;
/** Where the section is on the page. */
const ANCHOR = '#ricariche-programmate';

type Values = Record<(typeof FIELDS)[number], string>;

function schedFail(failure: FormFailure, values: Partial<Values>, status = 400) {
  return fail(status, { schedFailure: failure, schedValues: values });
}

function schedFailWith(result: GatewayResult<unknown>, values: Partial<Values>) {
  if (result.unavailable)
    return schedFail({ message: both(m.error_503_text), fields: {} }, values, 503);
  return schedFail(formFailure(result.errors, FIELDS, {}), values, statusOf(result));
}

/** The campaign's schedule, or null when the service does not answer. */
export async function loadSchedule(event: RequestEvent, campaignId: string) {
  const result = await event.locals.api(TopUpScheduleQuery, { campaignId });
  const schedule = result.data?.topUpSchedule;
  const esito = event.url.searchParams.get('esito');
  return {
    schedule: schedule
      ? {
          today: schedule.today,
          spendingUntil: schedule.spendingUntil,
          returnedCents: Number(schedule.returnedCents),
          returnedAt: schedule.returnedAt,
          tranches: schedule.tranches.map((t) => ({
            ...t,
            creditedCents: t.creditedCents === null ? null : Number(t.creditedCents),
          })),
        }
      : null,
    schedNotice: SCHED_NOTICES.find((n) => n === esito) ?? null,
  };
}

/** A whole number typed in a field, within bounds; null otherwise. */
function whole(value: string, min: number, max: number): number | null {
  if (!/^\d{1,3}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** Schedules a tranche for a day; back to the section with a notice. */
export async function scheduleAction(event: RequestEvent, comuneId: string, campaignId: string) {
  const data = await event.request.formData();
  const values: Values = {
    number: text(data, 'number'),
    percent: text(data, 'percent'),
    dueOn: text(data, 'dueOn'),
  };
  const number = whole(values.number, 1, 20);
  const percent = whole(values.percent.replace(/%$/, '').trim(), 1, 100);
  const fields: Record<string, Localized> = {};
  if (number === null) fields.number = both(m.topup_error_number);
  if (percent === null) fields.percent = both(m.topup_error_percent);
  if (!values.dueOn) fields.dueOn = both(m.sched_error_date);
  if (number === null || percent === null || !values.dueOn) {
    return schedFail({ message: both(m.form_invalid), fields }, values);
  }
  const result = await event.locals.api(ScheduleTopUpMutation, {
    input: { campaignId, number, percent, dueOn: values.dueOn },
  });
  if (!result.data?.scheduleTopUp) return schedFailWith(result, values);
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/ricariche?esito=programmata${ANCHOR}`);
}

/** Cancels a PENDING tranche; back to the section with a notice. */
export async function cancelAction(event: RequestEvent, comuneId: string, campaignId: string) {
  const data = await event.request.formData();
  const number = whole(text(data, 'number'), 1, 20);
  if (number === null) return schedFail({ message: both(m.form_invalid), fields: {} }, {});
  const result = await event.locals.api(CancelScheduledTopUpMutation, { campaignId, number });
  if (!result.data?.cancelScheduledTopUp) return schedFailWith(result, {});
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/ricariche?esito=annullata${ANCHOR}`);
}

const REC_FIELDS = ['startMonth', 'dayOfMonth', 'months'] as const;
type RecValues = Record<(typeof REC_FIELDS)[number], string>;

function recFail(failure: FormFailure, values: Partial<RecValues>, status = 400) {
  return fail(status, { recFailure: failure, recValues: values });
}

/**
 * Recurring tranches ("il giorno 1 di ogni mese per 6 mesi"). The first post asks the API for the
 * plan (checked, nothing written) and shows it; the second, with `confirmed=1`, schedules it all.
 */
export async function recurringAction(event: RequestEvent, comuneId: string, campaignId: string) {
  const data = await event.request.formData();
  const values: RecValues = {
    startMonth: text(data, 'startMonth'),
    dayOfMonth: text(data, 'dayOfMonth'),
    months: text(data, 'months'),
  };
  const dayOfMonth = whole(values.dayOfMonth, 1, 31);
  const months = whole(values.months, 2, 20);
  const fields: Record<string, Localized> = {};
  if (!/^\d{4}-\d{2}$/.test(values.startMonth)) fields.startMonth = both(m.rec_error_month);
  if (dayOfMonth === null) fields.dayOfMonth = both(m.rec_error_day);
  if (months === null) fields.months = both(m.rec_error_months);
  if (dayOfMonth === null || months === null || fields.startMonth) {
    return recFail({ message: both(m.form_invalid), fields }, values);
  }
  const input = { campaignId, startMonth: values.startMonth, dayOfMonth, months };
  if (data.get('confirmed') !== '1') {
    const planned = await event.locals.api(RecurringTopUpPlanQuery, { input });
    const plan = planned.data?.recurringTopUpPlan;
    if (!plan) return recFailWith(planned, values);
    return { recPlan: plan, recValues: values };
  }
  const result = await event.locals.api(ScheduleRecurringTopUpsMutation, { input });
  if (!result.data?.scheduleRecurringTopUps) return recFailWith(result, values);
  redirect(303, `/comune/${comuneId}/misure/${campaignId}/ricariche?esito=ricorrenti${ANCHOR}`);
}

function recFailWith(result: GatewayResult<unknown>, values: Partial<RecValues>) {
  if (result.unavailable)
    return recFail({ message: both(m.error_503_text), fields: {} }, values, 503);
  return recFail(formFailure(result.errors, REC_FIELDS, {}), values, statusOf(result));
}

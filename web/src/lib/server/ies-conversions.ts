// An organisation's conversions of IES to euro (the shop's and the third-sector body's pages).
import { randomUUID } from 'node:crypto';
import { fail, type RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from './forms';
import { formCents } from './ies-reserve';
import {
  IesOrganisationConversionsQuery,
  RequestIesConversionMutation,
} from './operations-ies-reserve';
import { throwIfForbidden } from './refusals';

/** The organisation's circuits (what it can convert, the fee rule) and its conversions. */
export async function loadConversions(event: Pick<RequestEvent, 'locals'>, organisationId: string) {
  const result = await event.locals.api(IesOrganisationConversionsQuery, { organisationId });
  throwIfForbidden(result);
  return {
    organisationId,
    accounts: result.data?.iesConversionAccounts ?? [],
    conversions: result.data?.iesOrganisationConversions ?? [],
    unavailable: result.unavailable || !result.data,
    clientKey: randomUUID(),
  };
}

/** The request form's action: a conversion of the amount typed, in the circuit chosen. */
export async function requestConversion(event: RequestEvent, organisationId: string) {
  const data = await event.request.formData();
  const values = {
    circuitId: text(data, 'circuitId'),
    amount: text(data, 'amount'),
    clientKey: text(data, 'clientKey') || randomUUID(),
  };
  const amount = formCents(values.amount);
  const fields: Record<string, Localized> = {};
  if ('problem' in amount) fields.amount = amount.problem;
  if (!values.circuitId) fields.circuitId = both(m.required_field);
  if (Object.keys(fields).length > 0)
    return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
  const result = await event.locals.api(RequestIesConversionMutation, {
    input: {
      circuitId: values.circuitId,
      organisationId,
      amountCents: 'cents' in amount ? amount.cents : 0,
      clientKey: values.clientKey,
    },
  });
  if (!result.data?.requestIesConversion) {
    const failed = failWith(result, ['amountCents', 'circuitId'], values);
    const { amountCents, ...rest } = failed.data.failure.fields;
    failed.data.failure.fields = amountCents ? { ...rest, amount: amountCents } : rest;
    return failed;
  }
  return { done: true as const };
}

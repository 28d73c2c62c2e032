// What the plan editor's create and update actions share: the form read, the portal's own
// problems and the API's field messages on the form's fields.
import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { type ApiError, type FormFailure, formFailure } from '$lib/server/errors';
import type { GatewayResult } from '$lib/server/gateway';
import { throwIfForbidden } from '$lib/server/refusals';
import { formField, knownFields, readPlanForm } from './plan-form';

/** The API's errors with their fields renamed to the form's rows. */
function renamed(errors: readonly ApiError[], rowOf: readonly number[]): ApiError[] {
  return errors.map((e) => ({
    ...e,
    fields: e.fields.map((f) => ({ ...f, field: formField(f.field, rowOf) })),
  }));
}

/**
 * Reads the plan form and calls the API with its input (`send`): the form's values and failure
 * (400 with the portal's problems, else the API's status) when refused, else the result's data.
 */
export async function sendPlanForm<T>(
  request: Request,
  send: (input: NonNullable<ReturnType<typeof readPlanForm>['input']>) => Promise<GatewayResult<T>>,
) {
  const form = readPlanForm(await request.formData());
  if (!form.input) {
    const failure: FormFailure = { message: both(m.form_invalid), fields: form.problems };
    return { failed: fail(400, { failure, values: form.values }) };
  }
  const result = await send(form.input);
  if (result.data) return { data: result.data };
  throwIfForbidden(result);
  const failure: FormFailure = result.unavailable
    ? { message: both(m.error_503_text), fields: {} }
    : formFailure(renamed(result.errors, form.rowOf), knownFields());
  const code = result.errors[0]?.code;
  const status = result.unavailable ? 503 : code === 'CONFLICT' ? 409 : 400;
  return { failed: fail(status, { failure, values: form.values }) };
}

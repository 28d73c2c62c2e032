// Small helpers for form actions.
import { type ActionFailure, fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import type { GatewayResult } from './gateway';
import { type ErrorCode, type FormFailure, formFailure, statusOf } from './errors';

/** A trimmed text field ('' when missing or not text). */
export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A field as typed (passwords are not trimmed). */
export function raw(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** Required fields that are empty, as a failure (or null when all are there). */
export function missing(values: Record<string, string>, required: readonly string[]) {
  const fields: Record<string, Localized> = {};
  for (const name of required) if (!values[name]) fields[name] = both(m.required_field);
  return Object.keys(fields).length > 0
    ? ({ message: both(m.form_invalid), fields } satisfies FormFailure)
    : null;
}

/** Turns a failed gateway result into `fail(status, { failure, values })` for the page. */
export function failWith<TValues extends Record<string, string>>(
  result: GatewayResult<unknown>,
  known: readonly string[],
  values: TValues,
  overrides: Partial<Record<ErrorCode, Localized>> = {},
): ActionFailure<{ failure: FormFailure; values: TValues }> {
  const failure = result.unavailable
    ? { message: both(m.error_503_text), fields: {} }
    : formFailure(result.errors, known, overrides);
  return fail(statusOf(result), { failure, values });
}

/** A failure found by the portal itself (before calling the API), or by a non-GraphQL call. */
export function invalid<TValues extends Record<string, string>>(
  failure: FormFailure,
  values: TValues,
  status = 400,
): ActionFailure<{ failure: FormFailure; values: TValues }> {
  return fail(status, { failure, values });
}

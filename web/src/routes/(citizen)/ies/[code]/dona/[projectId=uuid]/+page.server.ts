import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { iesAmount, parseIes } from '$lib/ies-amounts';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { DonateIesMutation, IesProjectQuery } from '$lib/server/operations-ies-catalogue';
import { requireFound, throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** The donation form of a project: the amount, whether to show one's name. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api(IesProjectQuery, { id: params.projectId });
  const project = requireFound(result.data?.iesProject, result);
  if (project.circuitCode !== params.code) error(404, 'Not found');
  // A fresh key per form: a resubmitted form donates once (the API is idempotent by it).
  return { project, idempotencyKey: randomUUID() };
};

export const actions: Actions = {
  default: async ({ locals, params, request }) => {
    const data = await request.formData();
    const values = {
      amount: text(data, 'amount'),
      showName: data.get('showName') === 'on' ? 'on' : '',
      idempotencyKey: text(data, 'idempotencyKey'),
    };
    const amountCents = parseIes(values.amount);
    if (amountCents === null) {
      return invalid(
        { message: both(m.form_invalid), fields: { amount: both(m.iec_amount_invalid) } },
        values,
      );
    }
    const result = await locals.api(DonateIesMutation, {
      input: {
        projectId: params.projectId,
        amountCents,
        idempotencyKey: values.idempotencyKey || randomUUID(),
        showName: values.showName === 'on',
      },
    });
    throwIfForbidden(result);
    const done = result.data?.donateIes;
    if (!done) {
      const failed = failWith(result, ['amountCents'], values);
      const fields = failed.data.failure.fields;
      if (fields.amountCents) {
        fields.amount = fields.amountCents;
        delete fields.amountCents;
      }
      return failed;
    }
    redirect(
      303,
      `/circuiti-ies/${params.code}/progetti/${params.projectId}?donato=${encodeURIComponent(iesAmount(done.amountCents))}`,
    );
  },
};

import { redirect } from '@sveltejs/kit';
import { romeToday } from '$lib/dates';
import { CreateCorporatePlanMutation } from '$lib/server/operations-corporate-plans';
import { requireEmployerHr } from '$lib/server/corporate-hr';
import { sendPlanForm } from '../plan-actions.server';
import { newPlanValues } from '../plan-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  requireEmployerHr(event);
  return {
    employerId: event.params.employerId,
    values: newPlanValues(Number(romeToday().slice(0, 4))),
  };
};

export const actions: Actions = {
  create: async (event) => {
    requireEmployerHr(event);
    const { employerId } = event.params;
    const outcome = await sendPlanForm(event.request, (input) =>
      event.locals.api(CreateCorporatePlanMutation, { employerId, input }),
    );
    if (outcome.failed) return outcome.failed;
    redirect(
      303,
      `/azienda/${employerId}/piani/${outcome.data.createWelfarePlan.id}?esito=created#esito`,
    );
  },
};

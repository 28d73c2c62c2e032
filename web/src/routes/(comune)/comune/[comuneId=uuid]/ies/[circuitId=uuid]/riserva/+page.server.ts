import { randomUUID } from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { pageNumber } from '$lib/paging';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import { formCents, managedCircuit } from '$lib/server/ies-reserve';
import {
  IesReserveReceiptsQuery,
  IesTransparencyQuery,
  RecordIesEuroReceivedMutation,
  UseIesFeesMutation,
} from '$lib/server/operations-ies-reserve';
import { IesMemberPageQuery } from '$lib/server/operations-ies-members';
import { IesCardFallbackDebtsQuery } from '$lib/server/operations-ies-debts';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

/** Members listed by the purchase's picker at once: a few, the search finds any other. */
const PICKER_PAGE_SIZE = 50;

/** The picker's search (`?socio=`, up to 100 characters) and page (`&pagina=`, from 1). */
function memberPicker(params: URLSearchParams): { search: string; page: number } {
  const search = (params.get('socio') ?? '').trim().slice(0, 100);
  return { search, page: pageNumber(params) };
}

/**
 * The circuit's reserve (its staff): figures, euro received and the form, fee uses. The form's
 * member picker lists a page of ACTIVE members; a search (`?socio=`, a GET form) finds any other.
 */
export const load: PageServerLoad = async (event) => {
  const { comuneId, circuitId } = event.params;
  const circuit = await managedCircuit(event, comuneId, circuitId);
  const picker = memberPicker(event.url.searchParams);
  const [figures, receipts, members, debts] = await Promise.all([
    event.locals.api(IesTransparencyQuery, { code: circuit.code }),
    event.locals.api(IesReserveReceiptsQuery, { circuitId }),
    // The member picker of a purchase: one page of the circuit's ACTIVE members, by name, matching
    // the search when there is one, with how many match in all (one request).
    event.locals.api(IesMemberPageQuery, {
      circuitId,
      status: 'ACTIVE',
      search: picker.search || null,
      limit: PICKER_PAGE_SIZE,
      offset: (picker.page - 1) * PICKER_PAGE_SIZE,
    }),
    // The card fallback's debts: sales whose IES hold lapsed and could not be taken again.
    event.locals.api(IesCardFallbackDebtsQuery, { circuitId }),
  ]);
  throwIfForbidden(receipts);
  return {
    comuneId,
    circuit,
    figures: figures.data?.iesTransparency ?? null,
    receipts: receipts.data?.iesReserveReceipts ?? [],
    // Null when the list could not be read: the form falls back to typing the member's code.
    members:
      members.data?.iesMembers.map((m) => ({
        id: m.id,
        displayName: m.displayName,
        kind: m.kind,
      })) ?? null,
    picker: {
      ...picker,
      pageSize: PICKER_PAGE_SIZE,
      total: members.data?.iesMemberCount ?? 0,
      hasNext: picker.page * PICKER_PAGE_SIZE < (members.data?.iesMemberCount ?? 0),
    },
    unavailable: figures.unavailable || receipts.unavailable,
    cardDebts: debts.data?.iesCardFallbackDebts ?? [],
    receiptKey: randomUUID(),
    feeUseKey: randomUUID(),
  };
};

type Fields = Record<string, Localized>;

export const actions: Actions = {
  receipt: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = {
      form: 'receipt',
      kind: text(data, 'kind'),
      memberId: text(data, 'memberId'),
      funderName: text(data, 'funderName'),
      bankReference: text(data, 'bankReference'),
      amount: text(data, 'amount'),
      clientKey: text(data, 'clientKey') || randomUUID(),
    };
    const amount = formCents(values.amount);
    const fields: Fields = {};
    if ('problem' in amount) fields.amount = amount.problem;
    if (values.kind !== 'PURCHASE' && values.kind !== 'REWARD_FUNDING')
      fields.kind = both(m.required_field);
    if (Object.keys(fields).length > 0)
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    const result = await event.locals.api(RecordIesEuroReceivedMutation, {
      input: {
        circuitId,
        kind: values.kind as 'PURCHASE' | 'REWARD_FUNDING',
        memberId: values.kind === 'PURCHASE' ? values.memberId || null : null,
        funderName: values.funderName,
        bankReference: values.bankReference,
        amountCents: 'cents' in amount ? amount.cents : 0,
        clientKey: values.clientKey,
      },
    });
    if (!result.data?.recordIesEuroReceived) {
      const failed = failWith(
        result,
        ['memberId', 'funderName', 'bankReference', 'amountCents', 'clientKey'],
        values,
      );
      const { amountCents, ...rest } = failed.data.failure.fields;
      failed.data.failure.fields = amountCents ? { ...rest, amount: amountCents } : rest;
      return failed;
    }
    return { done: 'receipt' as const };
  },
  feeUse: async (event) => {
    const { comuneId, circuitId } = event.params;
    await managedCircuit(event, comuneId, circuitId);
    const data = await event.request.formData();
    const values = {
      form: 'feeUse',
      useKind: text(data, 'useKind'),
      projectId: text(data, 'projectId'),
      useAmount: text(data, 'useAmount'),
      description: text(data, 'description'),
      clientKey: text(data, 'clientKey') || randomUUID(),
    };
    const amount = formCents(values.useAmount);
    const fields: Fields = {};
    if ('problem' in amount) fields.useAmount = amount.problem;
    if (!['REWARDS', 'PROJECT', 'COSTS'].includes(values.useKind))
      fields.useKind = both(m.required_field);
    if (Object.keys(fields).length > 0)
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    const result = await event.locals.api(UseIesFeesMutation, {
      input: {
        circuitId,
        kind: values.useKind as 'REWARDS' | 'PROJECT' | 'COSTS',
        projectId: values.useKind === 'PROJECT' ? values.projectId || null : null,
        amountCents: 'cents' in amount ? amount.cents : 0,
        description: values.description,
        clientKey: values.clientKey,
      },
    });
    if (!result.data?.useIesFees) {
      const failed = failWith(result, ['projectId', 'amountCents', 'description'], values, {
        FORBIDDEN: both(m.ier_manager_only),
      });
      const { amountCents, ...rest } = failed.data.failure.fields;
      failed.data.failure.fields = amountCents ? { ...rest, useAmount: amountCents } : rest;
      return failed;
    }
    return { done: 'feeUse' as const };
  },
};

// The organisation's IES page (a shop's, a cooperative's or an association's): its wallet in each
// circuit it belongs to, and the request form for the circuits it does not.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { failWith } from './forms';
import { text } from './forms';
import {
  IesCircuitsAndMembershipsQuery,
  IesWalletQuery,
  RequestIesMembershipMutation,
} from './operations-ies-members';

/** Loads the organisation's memberships, wallets and the circuits it may ask to join. */
export async function loadOrganisationIes(event: RequestEvent, organisationId: string) {
  const result = await event.locals.api(IesCircuitsAndMembershipsQuery, {});
  if (!result.data) error(result.unavailable ? 503 : 500, 'IES circuits unavailable');
  const own = result.data.myIesMemberships.filter((x) => x.organisationId === organisationId);
  const wallets = [];
  for (const membership of own.filter((x) => x.status === 'ACTIVE' || x.status === 'SUSPENDED')) {
    const wallet = await event.locals.api(IesWalletQuery, {
      code: membership.circuit.code,
      organisationId,
      before: null,
    });
    if (wallet.data?.iesWallet) wallets.push(wallet.data.iesWallet);
  }
  const waiting = own
    .filter((x) => x.status === 'PENDING' || x.status === 'REJECTED')
    .map((x) => ({
      id: x.id,
      status: x.status,
      name: x.circuit.name,
      code: x.circuit.code,
      reason: x.decisionReason,
    }));
  const settled = new Set(own.filter((x) => x.status !== 'REJECTED').map((x) => x.circuitId));
  const requestable = result.data.iesCircuits
    .filter((c) => !settled.has(c.id) && c.status === 'ACTIVE')
    .map((c) => ({ code: c.code, name: c.name }));
  return { organisationId, wallets, waiting, requestable };
}

/** The request form's action: asks, then back to the page with the outcome. */
export async function requestMembership(event: RequestEvent, organisationId: string, back: string) {
  const data = await event.request.formData();
  const values = {
    circuitCode: text(data, 'circuitCode'),
    kind: text(data, 'kind'),
    displayName: text(data, 'displayName'),
    vatNumber: text(data, 'vatNumber'),
    address: text(data, 'address'),
    iban: text(data, 'iban'),
    categories: text(data, 'categories'),
    acceptsIes: data.get('acceptsIes') === 'on' ? 'on' : '',
  };
  const result = await event.locals.api(RequestIesMembershipMutation, {
    input: {
      circuitCode: values.circuitCode,
      organisationId,
      kind: values.kind as 'BUSINESS',
      displayName: values.displayName,
      vatNumber: values.vatNumber || null,
      address: values.address || null,
      iban: values.iban || null,
      categories: values.categories
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      acceptsIes: values.acceptsIes === 'on',
    },
  });
  if (!result.data) {
    return failWith(
      result,
      ['circuitCode', 'kind', 'displayName', 'vatNumber', 'address', 'iban', 'categories'],
      values,
    );
  }
  redirect(303, `${back}?esito=requested#esito`);
}

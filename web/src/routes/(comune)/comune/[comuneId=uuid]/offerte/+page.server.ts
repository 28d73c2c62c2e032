import { fail, redirect } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { canManageOrganisation } from '$lib/roles';
import {
  ComuneOfferReviewQuery,
  ReinstateOfferMutation,
  SetAccreditationTariffMutation,
  WithdrawOfferByComuneMutation,
} from '$lib/server/operations-comune-review';
import { failWith, text } from '$lib/server/forms';
import { requireComuneStaff } from '$lib/server/guards';
import { throwIfForbidden } from '$lib/server/refusals';
import { OFFER_CATEGORIES, OFFER_PRICE_KINDS } from '$lib/api-enums';
import { isUuid } from '$lib/uuid';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['tariff', 'withdrawn', 'reinstated'] as const;
const TARIFF_KINDS = OFFER_PRICE_KINDS.filter((k) => k !== 'FREE');

/** The Comune's hand on its catalogue: tariffs of the call, offers above them, every offer. */
export const load: PageServerLoad = async (event) => {
  const { comuneId } = event.params;
  const viewer = requireComuneStaff(event, comuneId);
  const result = await event.locals.api(ComuneOfferReviewQuery, { comuneId });
  throwIfForbidden(result);
  const esito = event.url.searchParams.get('esito');
  return {
    comuneId,
    manager: canManageOrganisation(viewer, { id: comuneId, kind: 'COMUNE' }),
    tariffs: result.data?.accreditationTariffs ?? [],
    above: result.data?.offersAboveTariff ?? [],
    offers: result.data?.comuneOffers ?? [],
    categories: OFFER_CATEGORIES,
    kinds: TARIFF_KINDS,
    notice: NOTICES.find((n) => n === esito) ?? null,
    unavailable: result.unavailable || !result.data?.comuneOffers,
  };
};

/**
 * A withdrawal or reinstatement waiting for its confirmation: the first post sends nothing to the
 * API; the page states the consequence and posts the same values again with `confirmed=1`.
 */
function confirmFirst(values: { form: 'withdraw' | 'reinstate'; id: string; reason?: string }) {
  return { confirm: { form: values.form, id: values.id, reason: values.reason ?? '' } };
}

export const actions: Actions = {
  setTariff: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      form: 'tariff',
      category: text(data, 'category'),
      priceKind: text(data, 'priceKind'),
      maxPrice: text(data, 'maxPrice'),
    };
    const fields: Record<string, Localized> = {};
    const category = OFFER_CATEGORIES.find((c) => c === values.category);
    const priceKind = TARIFF_KINDS.find((k) => k === values.priceKind);
    if (!category) fields.category = both(m.required_field);
    if (!priceKind) fields.priceKind = both(m.required_field);
    const cents = values.maxPrice === '' ? null : parseEuroCents(values.maxPrice);
    if (values.maxPrice !== '' && cents === null)
      fields.maxPriceCents = both(m.review_tariff_amount_invalid);
    if (!category || !priceKind || Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(SetAccreditationTariffMutation, {
      input: { comuneId, category, priceKind, maxPriceCents: cents },
    });
    if (!result.data?.setAccreditationTariff) {
      return failWith(result, ['category', 'priceKind', 'maxPriceCents'], values);
    }
    redirect(303, `/comune/${comuneId}/offerte?esito=tariff#esito`);
  },
  withdraw: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = {
      form: 'withdraw' as const,
      id: text(data, 'id'),
      reason: text(data, 'reason'),
    };
    if (!isUuid(values.id)) {
      return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, values });
    }
    // The subgraph's bounds of the reason (5 to 1000 characters), checked before asking.
    if (values.reason.length < 5 || values.reason.length > 1000) {
      const fields = { reason: both(m.review_error_reason) };
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    if (data.get('confirmed') !== '1') return confirmFirst(values);
    const result = await event.locals.api(WithdrawOfferByComuneMutation, {
      id: values.id,
      reason: values.reason,
    });
    if (!result.data?.withdrawOfferByComune) return failWith(result, ['reason'], values);
    redirect(303, `/comune/${comuneId}/offerte?esito=withdrawn#esito`);
  },
  reinstate: async (event) => {
    const { comuneId } = event.params;
    requireComuneStaff(event, comuneId);
    const data = await event.request.formData();
    const values = { form: 'reinstate' as const, id: text(data, 'id') };
    if (!isUuid(values.id)) {
      return fail(400, { failure: { message: both(m.form_invalid), fields: {} }, values });
    }
    if (data.get('confirmed') !== '1') return confirmFirst(values);
    const result = await event.locals.api(ReinstateOfferMutation, { id: values.id });
    if (!result.data?.reinstateOffer) return failWith(result, [], values);
    redirect(303, `/comune/${comuneId}/offerte?esito=reinstated#esito`);
  },
};

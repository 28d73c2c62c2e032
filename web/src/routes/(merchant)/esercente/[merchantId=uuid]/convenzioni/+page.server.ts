import { error, fail, redirect } from '@sveltejs/kit';
import { SHOP_CATEGORIES } from '$lib/api-enums';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';
import { failWith, text } from '$lib/server/forms';
import {
  MerchantShopsQuery,
  RequestShopMutation,
  campaignTitles,
  isShopCategory,
} from '$lib/server/money';
import { throwIfForbidden } from '$lib/server/refusals';
import { readCoordinates } from '$lib/server/shop-coordinates';
import { requireMerchantMember } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** Points of sale rows in the form. */
const POS_ROWS = 3;

export const load: PageServerLoad = async (event) => {
  const membership = requireMerchantMember(event);
  const result = await event.locals.api(MerchantShopsQuery, {
    merchantId: event.params.merchantId,
  });
  throwIfForbidden(result);
  const campaigns = result.data?.publishedCampaigns ?? [];
  const accreditations = result.data?.merchantAccreditations ?? [];
  const title = await campaignTitles(
    event.locals.api,
    accreditations.map((a) => a.campaignId),
    campaigns,
  );
  const requests = accreditations.map((a) => ({
    ...a,
    campaignTitle: title.get(a.campaignId) ?? a.campaignId,
  }));
  const asked = new Set(requests.map((r) => r.campaignId));
  return {
    merchantName: membership.organisation.name,
    isOwner: membership.role === 'OWNER',
    requests,
    campaigns: campaigns
      .filter((c) => !asked.has(c.id))
      .map((c) => ({ id: c.id, title: `${c.title} (${c.comune.name})` })),
    categories: SHOP_CATEGORIES,
    posRows: POS_ROWS,
    notice: event.url.searchParams.get('esito') === 'inviata' ? 'inviata' : null,
    unavailable: result.unavailable || !result.data?.merchantAccreditations,
  };
};

export const actions: Actions = {
  request: async (event) => {
    const membership = requireMerchantMember(event);
    if (membership.role !== 'OWNER') error(403, 'Forbidden');
    const data = await event.request.formData();
    const values: Record<string, string> = {
      campaignId: text(data, 'campaignId'),
      partitaIva: text(data, 'partitaIva').replace(/\s+/g, ''),
      iban: text(data, 'iban').replace(/\s+/g, '').toUpperCase(),
      businessName: text(data, 'businessName'),
    };
    const categories = data.getAll('categories').filter(isShopCategory);
    values.categories = categories.join(',');
    const pointsOfSale: {
      name: string;
      address: string;
      latitude?: number;
      longitude?: number;
    }[] = [];
    const fields: Record<string, Localized> = {};
    for (let i = 0; i < POS_ROWS; i += 1) {
      const name = text(data, `posName${i}`);
      const address = text(data, `posAddress${i}`);
      const latitude = text(data, `posLat${i}`);
      const longitude = text(data, `posLon${i}`);
      values[`posName${i}`] = name;
      values[`posAddress${i}`] = address;
      values[`posLat${i}`] = latitude;
      values[`posLon${i}`] = longitude;
      // The optional coordinates (for the map), checked as the API does, each on its field.
      const coordinates = readCoordinates(latitude, longitude);
      if (!coordinates.ok) {
        if (coordinates.errors.latitude) fields[`posLat${i}`] = coordinates.errors.latitude;
        if (coordinates.errors.longitude) fields[`posLon${i}`] = coordinates.errors.longitude;
      }
      const at = coordinates.ok ? coordinates.at : null;
      if (name || address || latitude || longitude) pointsOfSale.push({ name, address, ...at });
    }
    for (const name of ['campaignId', 'partitaIva', 'iban', 'businessName']) {
      if (!values[name]) fields[name] = both(m.required_field);
    }
    if (categories.length === 0) fields.categories = both(m.shop_error_categories);
    if (pointsOfSale.length === 0 || pointsOfSale.some((p) => !p.name || !p.address)) {
      fields.posName0 = both(m.shop_error_points);
    }
    if (Object.keys(fields).length > 0) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const result = await event.locals.api(RequestShopMutation, {
      input: {
        merchantId: event.params.merchantId,
        campaignId: values.campaignId ?? '',
        partitaIva: values.partitaIva ?? '',
        iban: values.iban ?? '',
        businessName: values.businessName ?? '',
        categories,
        pointsOfSale,
      },
    });
    if (!result.data?.requestShopAccreditation) {
      return failWith(
        result,
        ['campaignId', 'partitaIva', 'iban', 'businessName', 'categories'],
        values,
        { CONFLICT: both(m.shop_error_already) },
      );
    }
    redirect(303, `/esercente/${event.params.merchantId}/convenzioni?esito=inviata#esito`);
  },
};

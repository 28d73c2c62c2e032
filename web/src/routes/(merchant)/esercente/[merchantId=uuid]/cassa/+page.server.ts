import { randomUUID } from 'node:crypto';
import { error, fail, redirect } from '@sveltejs/kit';
import { romeDayOf } from '$lib/dates';
import { isFiscalCode, normaliseFiscalCode } from '$lib/fiscal-code';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { parseEuroCents } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { formFailure } from '$lib/server/errors';
import { raw, text } from '$lib/server/forms';
import {
  CardPaymentByKeyQuery,
  PosShopsQuery,
  VoidPaymentMutation,
  campaignTitles,
  isShopCategory,
} from '$lib/server/money';
import {
  ChargeCardWithIesMutation,
  PreviewCardChargeMutation,
  ShopPaymentsIesQuery,
} from '$lib/server/operations-ies-card';
import { throwIfForbidden } from '$lib/server/refusals';
import { isUuid } from '$lib/uuid';
import { requireMerchantMember } from '../access';
import type { Actions, PageServerLoad } from './$types';

/** The largest payment the API accepts: 1,000,000.00 euro. */
const MAX_CENTS = 100_000_000;

export const load: PageServerLoad = async (event) => {
  const membership = requireMerchantMember(event);
  const { merchantId } = event.params;
  const result = await event.locals.api(PosShopsQuery, { merchantId });
  throwIfForbidden(result);
  const accredited = (result.data?.merchantAccreditations ?? []).filter(
    (a) => a.status === 'ACCREDITED',
  );
  const titles = await campaignTitles(
    event.locals.api,
    accredited.map((a) => a.campaignId),
    result.data?.publishedCampaigns ?? [],
  );
  const shops = accredited.map((a) => ({
    id: a.id,
    label: `${titles.get(a.campaignId) ?? a.campaignId} — ${a.businessName}`,
    categories: a.categories,
  }));
  // Payments can be voided the same day (in Rome) only.
  const today = romeDayOf(new Date());
  const payments = (
    await Promise.all(
      shops.map(async (shop) => {
        const list = await event.locals.api(ShopPaymentsIesQuery, { accreditationId: shop.id });
        return (list.data?.shopPayments ?? []).map((p) => ({
          ...p,
          amountCents: Number(p.amountCents),
          iesCents: Number(p.iesCents),
          shop: shop.label,
          // A payment with an IES part is not voided at the till (the circuit's manager does it).
          voidable:
            p.status === 'AUTHORISED' &&
            Number(p.iesCents) === 0 &&
            romeDayOf(p.createdAt) === today,
        }));
      }),
    )
  )
    .flat()
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 20);
  const categories = [...new Set(shops.flatMap((s) => s.categories))];
  // "Annulla" opens `?annulla=<id>` (a GET form, no script needed): the payment to confirm, named.
  const asked = event.url.searchParams.get('annulla');
  const confirm =
    asked === null ? null : (payments.find((p) => p.id === asked && p.voidable) ?? null);
  return {
    merchantId,
    merchantName: membership.organisation.name,
    shops,
    categories,
    payments,
    // A new key for each form shown: a double submit of the same form charges once.
    idempotencyKey: randomUUID(),
    confirm,
    confirmMissing: asked !== null && !confirm,
    voided: event.url.searchParams.get('esito') === 'annullato',
    unavailable: result.unavailable || !result.data?.merchantAccreditations,
  };
};

type Values = Record<'accreditationId' | 'category' | 'qr' | 'fiscalCode' | 'amount', string>;

/** What the till's form sent, but the PIN (the charge form, or the check's hidden copy of it). */
function formValues(data: FormData): Values {
  return {
    accreditationId: text(data, 'accreditationId'),
    category: text(data, 'category'),
    qr: text(data, 'qr'),
    fiscalCode: normaliseFiscalCode(text(data, 'fiscalCode')),
    amount: text(data, 'amount'),
  };
}

export const actions: Actions = {
  charge: async (event) => {
    requireMerchantMember(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const pin = raw(data, 'pin');
    const key = text(data, 'idempotencyKey');
    // The card's fallback: the IES part the holder agreed to (the split's confirmation form).
    const iesText = text(data, 'iesCents');
    const iesCents = /^\d{1,9}$/.test(iesText) ? Number(iesText) : null;
    const fields: Record<string, Localized> = {};
    if (!isUuid(values.accreditationId)) fields.accreditationId = both(m.pos_error_shop);
    if (!isShopCategory(values.category)) fields.category = both(m.pos_error_category);
    if (values.qr && values.fiscalCode) fields.qr = both(m.pos_error_one_card);
    else if (!values.qr && !values.fiscalCode) fields.qr = both(m.pos_error_no_card);
    else if (values.fiscalCode && !isFiscalCode(values.fiscalCode)) {
      fields.fiscalCode = both(m.pos_error_fiscal_code);
    }
    const cents = parseEuroCents(values.amount);
    if (cents === null || cents < 1 || cents > MAX_CENTS) fields.amount = both(m.pos_error_amount);
    if (!/^\d{6}$/.test(pin)) fields.pin = both(m.pos_error_pin);
    if (!isUuid(key)) fields.amount ??= both(m.form_invalid);
    if (Object.keys(fields).length > 0 || cents === null || !isShopCategory(values.category)) {
      return fail(400, { failure: { message: both(m.form_invalid), fields }, values });
    }
    const input = {
      idempotencyKey: key,
      accreditationId: values.accreditationId,
      card: values.qr ? { qr: values.qr } : { fiscalCode: values.fiscalCode },
      pin,
      amountCents: cents,
      category: values.category,
      ...(iesCents !== null ? { iesCents } : {}),
    };
    const result = await event.locals.api(ChargeCardWithIesMutation, { input });
    const charged = result.data?.chargeCard;
    if (!charged) {
      // No answer in time: the payment may have been made. Say so, keep the key (a retry with it
      // charges once), and offer to ask for the payment by its key.
      if (result.outcomeUnknown) return fail(503, { unknown: true, key, values });
      // Refused before it started (the service sheds load): nothing was done; same key again.
      if (result.unavailable) {
        const retry = result.errors.find((e) => e.retryAfterSeconds)?.retryAfterSeconds;
        return fail(503, { notDone: { retryAfterSeconds: retry ?? null }, key, values });
      }
      const failure = formFailure(result.errors, ['amountCents', 'pin', 'category']);
      // The voucher credit does not cover it: the holder's IES may pay the rest (the card's
      // fallback). The split is shown before confirming; the holder agrees with the PIN again.
      if (result.errors[0]?.reason === 'INSUFFICIENT_CREDIT' && iesCents === null) {
        const preview = await event.locals.api(PreviewCardChargeMutation, { input });
        const split = preview.data?.previewCardCharge;
        if (split?.payable && Number(split.iesCents) > 0) {
          return fail(409, {
            split: {
              voucherCents: Number(split.voucherCents),
              iesCents: Number(split.iesCents),
              circuitName: split.iesCircuitName ?? '',
            },
            key,
            values,
          });
        }
        if (split?.iesUnavailable || preview.unavailable) {
          const unavailable = both(m.iek_ies_unavailable);
          failure.message = {
            it: `${failure.message.it} ${unavailable.it}`,
            en: `${failure.message.en} ${unavailable.en}`,
          };
        }
      }
      return fail(400, { failure: { ...failure, refusal: true }, values });
    }
    return {
      receipt: {
        id: charged.payment.id,
        amountCents: Number(charged.payment.amountCents),
        iesCents: Number(charged.payment.iesCents),
        category: charged.payment.category,
        at: charged.payment.createdAt,
        residualCents: Number(charged.residualCents),
      },
      values: { ...values, qr: '', fiscalCode: '', amount: '' },
    };
  },
  /** "Verifica il pagamento": asks for the payment made under the form's key, if any. */
  verify: async (event) => {
    requireMerchantMember(event);
    const data = await event.request.formData();
    const key = text(data, 'idempotencyKey');
    const values = formValues(data);
    if (!isUuid(key)) error(400, 'Bad request');
    const result = await event.locals.api(CardPaymentByKeyQuery, { key });
    if (result.data === null || result.unavailable) {
      return fail(503, { unknown: true, verifyFailed: true, key, values });
    }
    const found = result.data.cardPaymentByKey;
    if (!found) return { verifiedNone: true, key, values };
    return {
      verified: {
        id: found.id,
        amountCents: Number(found.amountCents),
        category: found.category,
        at: found.createdAt,
        cardLast4: found.cardLast4,
        status: found.status,
      },
      values: { ...values, qr: '', fiscalCode: '', amount: '' },
    };
  },
  void: async (event) => {
    requireMerchantMember(event);
    const id = text(await event.request.formData(), 'id');
    if (!isUuid(id)) error(404, 'Not found');
    const result = await event.locals.api(VoidPaymentMutation, { id });
    if (!result.data?.voidCardPayment) {
      const failure = result.unavailable
        ? { message: both(m.error_503_text), fields: {} }
        : formFailure(result.errors, []);
      return fail(result.unavailable ? 503 : 400, { failure: { ...failure, refusal: true } });
    }
    redirect(303, `/esercente/${event.params.merchantId}/cassa?esito=annullato#esito`);
  },
};

import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import {
  type Step,
  currentStep,
  declarationsComplete,
  formSearch,
  isStep,
  onBehalfOf,
} from '$lib/applications';
import { both } from '$lib/i18n';
import type { Localized } from '$lib/locale';
import { centsOrNull } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { canUseRegistry } from '$lib/roles';
import { type ApiError, type FormFailure, findError } from '$lib/server/errors';
import { failWith, invalid, text } from '$lib/server/forms';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import { isUuid } from '$lib/uuid';
import { documentField, uploadFromForm } from '../../../domande/document-upload.server';
import type { Actions, PageServerLoad } from './$types';

const FormCampaignQuery = graphql(`
  query ApplicationFormCampaign($id: ID!) {
    campaign(id: $id) {
      id
      title
      status
      acceptingApplications
      applicationsCloseAt
      comune {
        id
        name
      }
      requiredDocuments {
        code
        labelIt
        labelEn
        mandatory
      }
      declarations {
        code
        textIt
        textEn
      }
    }
  }
`);

const PrefillQuery = graphql(`
  query ApplicationPrefill($campaignId: ID!, $onBehalfOf: String) {
    applicationPrefill(campaignId: $campaignId, onBehalfOf: $onBehalfOf) {
      householdCode
      address
      members {
        givenName
        familyName
        birthDate
        relation
      }
      iseeCents
      iseeType
      checks {
        code
        passed
        messageIt
        messageEn
      }
      amountCents
      existing {
        id
        status
        onBehalf
        email
        phone
        notes
        acceptedDeclarations
        createdAt
        documents {
          id
          code
          fileName
          sizeBytes
          uploadedAt
        }
      }
    }
  }
`);

const SaveDraftMutation = graphql(`
  mutation SaveApplicationDraft($input: ApplicationDraftInput!) {
    saveApplicationDraft(input: $input) {
      id
      status
    }
  }
`);

const SubmitMutation = graphql(`
  mutation SubmitApplication($id: ID!) {
    submitApplication(id: $id) {
      id
      status
      protocolNumber
    }
  }
`);

/** Why the form cannot be shown for this person (the page explains each). */
type Blocked = 'needsSpid' | 'forbidden' | 'badFiscalCode' | 'unavailable';

function formPath(campaignId: string, step: Step | null, per: string | null): string {
  return `/misure/${encodeURIComponent(campaignId)}/domanda${formSearch(step, per)}`;
}

function receiptPath(campaignId: string, applicationId: string, per: string | null): string {
  const search = per ? `?${new URLSearchParams({ per }).toString()}` : '';
  return `/misure/${encodeURIComponent(campaignId)}/domanda/ricevuta/${encodeURIComponent(applicationId)}${search}`;
}

/** The citizen an operator applies for (`?per=`), read from the action's URL or its form. */
function perOf(event: RequestEvent, data?: FormData): string | null {
  return onBehalfOf(event.url.searchParams.get('per') ?? (data ? text(data, 'per') : null));
}

function campaignIdOf(event: RequestEvent<{ id: string }>): string {
  return event.params.id;
}

/** The API's message for the `onBehalfOf` field (a malformed codice fiscale), if any. */
function fiscalCodeMessage(errors: readonly ApiError[]): Localized | null {
  for (const e of errors) {
    const field = e.fields.find((f) => f.field === 'onBehalfOf');
    if (field) return field.message;
  }
  return null;
}

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const campaignId = campaignIdOf(event);
  const per = perOf(event);
  const [campaignResult, prefillResult] = await Promise.all([
    event.locals.api(FormCampaignQuery, { id: campaignId }),
    event.locals.api(PrefillQuery, { campaignId, onBehalfOf: per }),
  ]);
  const campaign = campaignResult.data?.campaign ?? null;
  if (!campaign) error(campaignResult.unavailable ? 503 : 404, 'Not found');
  const staff = canUseRegistry(viewer, campaign.comune.id);

  const prefill = prefillResult.data?.applicationPrefill ?? null;
  let blocked: Blocked | null = null;
  let blockedMessage: Localized | null = null;
  if (!prefill) {
    if (findError(prefillResult.errors, 'NOT_FOUND')) error(404, 'Not found');
    if (findError(prefillResult.errors, 'FORBIDDEN')) {
      blocked = per ? 'forbidden' : 'needsSpid';
      blockedMessage = findError(prefillResult.errors, 'FORBIDDEN')?.messages ?? null;
    } else if (findError(prefillResult.errors, 'BAD_USER_INPUT')) {
      blocked = 'badFiscalCode';
      blockedMessage = fiscalCodeMessage(prefillResult.errors);
    } else {
      blocked = 'unavailable';
    }
  }

  const existing = prefill?.existing ?? null;
  // Submitted already: the application's own page says where it is.
  if (existing && existing.status !== 'DRAFT') redirect(303, `/domande/${existing.id}`);
  const draft = existing;
  const asked = event.url.searchParams.get('passo');
  const step = currentStep(asked, draft, campaign);
  const uploaded = event.url.searchParams.get('caricato');

  return {
    campaign,
    per,
    staff,
    blocked,
    blockedMessage,
    step,
    /** Coming back to a saved draft (no step asked): the page says so. */
    resumed: draft !== null && !isStep(asked),
    justUploaded: uploaded,
    prefill: prefill
      ? {
          ...prefill,
          iseeCents: centsOrNull(prefill.iseeCents),
          amountCents: centsOrNull(prefill.amountCents),
          existing: undefined,
        }
      : null,
    draft,
    /** The email of the person's profile, proposed when they apply for themselves. */
    profileEmail: per ? null : (viewer.person.email ?? null),
  };
};

/** The draft's id from the form (the page only shows the later steps when a draft exists). */
function draftId(data: FormData): string | null {
  const id = text(data, 'draft');
  return isUuid(id) ? id : null;
}

const DETAIL_FIELDS = ['email', 'phone', 'notes', 'acceptedDeclarations'] as const;

export const actions: Actions = {
  /**
   * Step 1: the person acknowledges the citizens' privacy notice (not a consent: the Comune
   * processes the data for a public task, GDPR art. 6(1)(e)); the draft is created (an existing
   * one is kept as it is) and the API records who acknowledged which version of the notice, when.
   */
  privacy: async (event) => {
    requireViewer(event);
    const campaignId = campaignIdOf(event);
    const data = await event.request.formData();
    const per = perOf(event, data);
    const values = { privacyNoticeAcknowledged: text(data, 'privacyNoticeAcknowledged') };
    if (values.privacyNoticeAcknowledged !== 'yes') {
      return invalid(
        {
          message: both(m.form_invalid),
          fields: { privacyNoticeAcknowledged: both(m.apply_privacy_required) },
        },
        values,
      );
    }
    if (!draftId(data)) {
      const result = await event.locals.api(SaveDraftMutation, {
        input: {
          campaignId,
          onBehalfOf: per,
          privacyNoticeAcknowledged: true,
          acceptedDeclarations: [],
        },
      });
      if (!result.data?.saveApplicationDraft) {
        return failWith(result, ['privacyNoticeAcknowledged'], values);
      }
    }
    redirect(303, formPath(campaignId, 'dati', per));
  },

  /** Step 3: contacts, notes and declarations, saved in the draft; every declaration to go on. */
  details: async (event) => {
    requireViewer(event);
    const campaignId = campaignIdOf(event);
    const data = await event.request.formData();
    const per = perOf(event, data);
    const accepted = data
      .getAll('acceptedDeclarations')
      .filter((v): v is string => typeof v === 'string');
    const values = {
      email: text(data, 'email'),
      phone: text(data, 'phone'),
      notes: text(data, 'notes'),
      acceptedDeclarations: accepted.join(','),
    };
    if (!draftId(data)) redirect(303, formPath(campaignId, 'informativa', per));
    const result = await event.locals.api(SaveDraftMutation, {
      input: {
        campaignId,
        onBehalfOf: per,
        privacyNoticeAcknowledged: true,
        email: values.email || null,
        phone: values.phone || null,
        notes: values.notes || null,
        acceptedDeclarations: accepted,
      },
    });
    if (!result.data?.saveApplicationDraft) return failWith(result, DETAIL_FIELDS, values);

    const campaign = (await event.locals.api(FormCampaignQuery, { id: campaignId })).data?.campaign;
    const needs = campaign ?? { declarations: [], requiredDocuments: [] };
    if (!declarationsComplete({ acceptedDeclarations: accepted, documents: [] }, needs)) {
      return invalid(
        {
          message: both(m.apply_declarations_saved_incomplete),
          fields: { acceptedDeclarations: both(m.apply_declarations_required) },
        },
        values,
      );
    }
    redirect(303, formPath(campaignId, 'documenti', per));
  },

  /** Step 4: one required document (the page has a form per document). */
  upload: async (event) => {
    requireViewer(event);
    const campaignId = campaignIdOf(event);
    const data = await event.request.formData();
    const per = perOf(event, data);
    const id = draftId(data);
    if (!id) redirect(303, formPath(campaignId, 'informativa', per));
    const outcome = await uploadFromForm(event, data, id);
    if (!outcome.ok) return invalid(outcome.failure, { code: outcome.code }, outcome.status);
    const search = new URLSearchParams(formSearch('documenti', per).slice(1));
    search.set('caricato', outcome.code);
    redirect(303, `/misure/${encodeURIComponent(campaignId)}/domanda?${search.toString()}`);
  },

  /**
   * Step 5: submits the draft. The API is idempotent (a second post of the same form answers
   * with the application already submitted), so a double click makes one application.
   */
  submit: async (event) => {
    requireViewer(event);
    const campaignId = campaignIdOf(event);
    const data = await event.request.formData();
    const per = perOf(event, data);
    const id = draftId(data);
    if (!id) redirect(303, formPath(campaignId, 'informativa', per));
    const result = await event.locals.api(SubmitMutation, { id });
    const submitted = result.data?.submitApplication;
    if (submitted && submitted.status !== 'DRAFT') {
      redirect(303, receiptPath(campaignId, submitted.id, per));
    }
    const failure = failWith(result, [], {});
    const fields: FormFailure['fields'] = {};
    for (const apiError of result.errors) {
      for (const f of apiError.fields) {
        if (f.field === 'acceptedDeclarations') fields.acceptedDeclarations = f.message;
        else if (f.field.startsWith('documents.')) {
          fields[documentField(f.field.slice('documents.'.length))] = f.message;
        }
      }
    }
    const message = Object.keys(fields).length > 0 ? both(m.apply_submit_incomplete) : null;
    return invalid(
      { message: message ?? failure.data.failure.message, fields },
      {},
      failure.status,
    );
  },
};

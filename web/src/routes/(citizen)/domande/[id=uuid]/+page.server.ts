import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { centsOrNull } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { failWith, invalid, text } from '$lib/server/forms';
import { graphql } from '$lib/server/graphql';
import { requireViewer } from '$lib/server/guards';
import { uploadFromForm } from '../document-upload.server';
import type { Actions, PageServerLoad } from './$types';

const ApplicationQuery = graphql(`
  query MyApplication($id: ID!) {
    application(id: $id) {
      id
      status
      protocolNumber
      submittedAt
      createdAt
      onBehalf
      applicantFiscalCode
      amountCents
      rank
      dueBy
      decisionReason
      decidedAt
      email
      phone
      notes
      checks {
        code
        passed
        messageIt
        messageEn
      }
      documents {
        id
        code
        fileName
        sizeBytes
        uploadedAt
      }
      timeline {
        id
        kind
        actorRole
        fromStatus
        toStatus
        note
        at
      }
      campaign {
        id
        title
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
      }
    }
  }
`);

const WithdrawMutation = graphql(`
  mutation WithdrawApplication($id: ID!) {
    withdrawApplication(id: $id) {
      id
      status
    }
  }
`);

const ResubmitMutation = graphql(`
  mutation ResubmitApplication($id: ID!, $note: String) {
    resubmitApplication(id: $id, note: $note) {
      id
      status
    }
  }
`);

const AppealMutation = graphql(`
  mutation AppealApplication($id: ID!, $reason: String!) {
    appealApplication(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

function applicationId(event: RequestEvent<{ id: string }>): string {
  return event.params.id;
}

const pagePath = (id: string, done?: string) =>
  `/domande/${encodeURIComponent(id)}${done ? `?fatto=${done}` : ''}`;

/** One application: status, checks, documents, the Comune's requests and the case's timeline. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const id = applicationId(event);
  const result = await event.locals.api(ApplicationQuery, { id });
  const application = result.data?.application ?? null;
  if (!application) error(result.unavailable ? 503 : 404, 'Not found');
  const done = event.url.searchParams.get('fatto');
  const uploaded = event.url.searchParams.get('caricato');
  return {
    application: { ...application, amountCents: centsOrNull(application.amountCents) },
    done: ['ritirata', 'inviata', 'ricorso'].includes(done ?? '') ? done : null,
    justUploaded: uploaded,
  };
};

export const actions: Actions = {
  /** Withdraws the application (confirmed by a checkbox: no JavaScript dialog needed). */
  withdraw: async (event) => {
    requireViewer(event);
    const id = applicationId(event);
    const data = await event.request.formData();
    const values = { confirm: text(data, 'confirm') };
    if (values.confirm !== 'yes') {
      return invalid(
        {
          message: both(m.form_invalid),
          fields: { confirm: both(m.myapps_withdraw_confirm_required) },
        },
        values,
      );
    }
    const result = await event.locals.api(WithdrawMutation, { id });
    if (!result.data?.withdrawApplication) return failWith(result, ['confirm'], values);
    redirect(303, pagePath(id, 'ritirata'));
  },

  /** A document asked for by the Comune (NEEDS_INTEGRATION), or added to a draft. */
  upload: async (event) => {
    requireViewer(event);
    const id = applicationId(event);
    const data = await event.request.formData();
    const outcome = await uploadFromForm(event, data, id);
    if (!outcome.ok) return invalid(outcome.failure, { code: outcome.code }, outcome.status);
    redirect(303, `${pagePath(id)}?caricato=${encodeURIComponent(outcome.code)}`);
  },

  /** Sends the application back to the Comune after an integration request. */
  resubmit: async (event) => {
    requireViewer(event);
    const id = applicationId(event);
    const data = await event.request.formData();
    const values = { note: text(data, 'note') };
    const result = await event.locals.api(ResubmitMutation, { id, note: values.note || null });
    if (!result.data?.resubmitApplication) return failWith(result, ['note'], values);
    redirect(303, pagePath(id, 'inviata'));
  },

  /** Appeals a rejection: the reason is mandatory. */
  appeal: async (event) => {
    requireViewer(event);
    const id = applicationId(event);
    const data = await event.request.formData();
    const values = { reason: text(data, 'reason') };
    if (!values.reason) {
      return invalid(
        { message: both(m.form_invalid), fields: { reason: both(m.required_field) } },
        values,
      );
    }
    const result = await event.locals.api(AppealMutation, { id, reason: values.reason });
    if (!result.data?.appealApplication) return failWith(result, ['reason'], values);
    redirect(303, pagePath(id, 'ricorso'));
  },
};

import { error } from '@sveltejs/kit';
import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { ROLES_BY_KIND, canManageOrganisation, canViewOrganisation, isRole } from '$lib/roles';
import { config } from '$lib/server/config';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { requireViewer } from '$lib/server/guards';
import { InviteMemberMutation, OrganisationQuery } from '$lib/server/operations';
import { throwIfForbidden } from '$lib/server/refusals';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['email', 'givenName', 'familyName', 'fiscalCode', 'role'] as const;
const REQUIRED = ['email', 'givenName', 'familyName', 'role'] as const;

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  // The page is for the organisation's own staff (and platform admins), whatever the API shows.
  if (!canViewOrganisation(viewer, event.params.id)) error(403, 'Forbidden');
  const result = await event.locals.api(OrganisationQuery, { id: event.params.id });
  const organisation = result.data?.organisation;
  if (!organisation) {
    throwIfForbidden(result);
    if (result.unavailable) return { organisation: null, unavailable: true as const };
    error(404, 'Not found');
  }
  return {
    organisation,
    unavailable: result.unavailable,
    canInvite: canManageOrganisation(viewer, organisation),
    roles: ROLES_BY_KIND[organisation.kind],
  };
};

export const actions: Actions = {
  invite: async (event) => {
    const viewer = requireViewer(event);
    if (!canViewOrganisation(viewer, event.params.id)) error(403, 'Forbidden');
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const empty = missing(values, REQUIRED);
    if (empty) return invalid(empty, values);
    const role = values.role;
    if (!isRole(role)) {
      return invalid(
        { message: both(m.form_invalid), fields: { role: both(m.required_field) } },
        values,
      );
    }

    const result = await event.locals.api(InviteMemberMutation, {
      input: {
        organisationId: event.params.id,
        email: values.email,
        givenName: values.givenName,
        familyName: values.familyName,
        fiscalCode: values.fiscalCode ? values.fiscalCode.toUpperCase() : null,
        role,
      },
    });
    const invitation = result.data?.inviteMember;
    if (!invitation) return failWith(result, FIELDS, values);
    return {
      invitation: {
        url: `${config().publicBaseUrl}/invito/${encodeURIComponent(invitation.token)}`,
        expiresAt: invitation.expiresAt,
      },
    };
  },
};

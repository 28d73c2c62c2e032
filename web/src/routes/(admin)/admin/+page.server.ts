import { both } from '$lib/i18n';
import { m } from '$lib/paraglide/messages';
import { isOrganisationKind } from '$lib/roles';
import { failWith, invalid, missing, text } from '$lib/server/forms';
import { readAuditChains } from '$lib/server/audit';
import { requireAdmin } from '$lib/server/guards';
import { CreateOrganisationMutation, OrganisationsQuery } from '$lib/server/operations';
import { MoneyReconciliationAlertsQuery, toRun } from '$lib/server/reconciliation';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['kind', 'name', 'taxCode', 'iban', 'email', 'city'] as const;
const REQUIRED = ['kind', 'name', 'taxCode'] as const;

export const load: PageServerLoad = async (event) => {
  requireAdmin(event);
  const [result, alerts, audit] = await Promise.all([
    event.locals.api(OrganisationsQuery),
    event.locals.api(MoneyReconciliationAlertsQuery),
    readAuditChains(event.locals.api),
  ]);
  const organisations = result.data?.organisations ?? [];
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  return {
    organisations,
    unavailable: result.unavailable,
    // The money check: the latest run of every Comune whose latest run failed.
    reconciliationAlerts: (alerts.data?.moneyReconciliationAlerts ?? []).map((run) => ({
      ...toRun(run),
      comuneName: names.get(run.comuneId) ?? null,
    })),
    reconciliationUnavailable: alerts.unavailable || !alerts.data,
    // The audit logs' scheduled verification: a broken chain is an alert.
    auditChains: audit.chains,
    auditChainsUnavailable: audit.unavailable,
  };
};

export const actions: Actions = {
  create: async (event) => {
    requireAdmin(event);
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((f) => [f, text(data, f)])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const empty = missing(values, REQUIRED);
    if (empty) return invalid(empty, values);
    const kind = values.kind;
    if (!isOrganisationKind(kind)) {
      return invalid(
        { message: both(m.form_invalid), fields: { kind: both(m.required_field) } },
        values,
      );
    }

    const result = await event.locals.api(CreateOrganisationMutation, {
      input: {
        kind,
        name: values.name,
        taxCode: values.taxCode,
        iban: values.iban || null,
        email: values.email || null,
        city: values.city || null,
      },
    });
    const created = result.data?.createOrganisation;
    if (!created) return failWith(result, FIELDS, values);
    return { created };
  },
};

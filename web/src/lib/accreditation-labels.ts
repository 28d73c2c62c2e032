// Labels of the provider accreditation pages (statuses, history entries, roles). Pure.
import { type ApiEnum, type ProviderAccreditationStatus, allValues } from './api-enums';
import { enumLabel, enumLabelOf } from './enum-labels';
import { m } from './paraglide/messages';

/** Every status of a provider's accreditation request, in workflow order (not the schema's). */
export const TS_STATUSES = allValues<ProviderAccreditationStatus>()([
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'ACCREDITED',
  'SUSPENDED',
  'REJECTED',
  'SUPERSEDED',
  'DRAFT',
]);

/** The outcome of a review, as the Comune's form offers it. */
export const tsOutcomeLabel = (outcome: ApiEnum<'ProviderAccreditationOutcome'>): string =>
  enumLabel('ProviderAccreditationOutcome', outcome);

const ROLE: Record<string, () => string> = {
  PROVIDER_ADMIN: m.ts_role_provider_admin,
  OPERATOR: m.ts_role_operator,
  MANAGER: m.ts_role_manager,
  PLATFORM_ADMIN: m.ts_role_platform_admin,
  SYSTEM: m.ts_role_system,
};

/** A request's status; an unknown one reads as a draft. */
export function tsStatusLabel(status: string): string {
  return (
    enumLabelOf('ProviderAccreditationStatus', status) ??
    enumLabel('ProviderAccreditationStatus', 'DRAFT')
  );
}

export function tsStatusTone(status: string): string {
  if (status === 'ACCREDITED') return 'success';
  if (status === 'SUSPENDED' || status === 'REJECTED') return 'danger';
  if (status === 'NEEDS_INTEGRATION') return 'warning';
  return 'secondary';
}

/** A history entry; an unknown one reads as "created". */
export function tsEventLabel(kind: string): string {
  return (
    enumLabelOf('ProviderAccreditationEventKind', kind) ??
    enumLabel('ProviderAccreditationEventKind', 'CREATED')
  );
}

export function tsRoleLabel(role: string): string {
  return (ROLE[role] ?? m.ts_role_system)();
}

// Labels of the provider accreditation pages (statuses, history entries, roles). Pure.
import { m } from './paraglide/messages';

/** Every status of a provider's accreditation request, in workflow order. */
export const TS_STATUSES = [
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'ACCREDITED',
  'SUSPENDED',
  'REJECTED',
  'SUPERSEDED',
  'DRAFT',
] as const;

const STATUS: Record<string, () => string> = {
  DRAFT: m.ts_status_draft,
  SUBMITTED: m.ts_status_submitted,
  IN_REVIEW: m.ts_status_in_review,
  NEEDS_INTEGRATION: m.ts_status_needs_integration,
  ACCREDITED: m.ts_status_accredited,
  REJECTED: m.ts_status_rejected,
  SUSPENDED: m.ts_status_suspended,
  SUPERSEDED: m.ts_status_superseded,
};

const EVENT: Record<string, () => string> = {
  CREATED: m.ts_event_created,
  DOCUMENT_UPLOADED: m.ts_event_document_uploaded,
  SUBMITTED: m.ts_event_submitted,
  REVIEW_STARTED: m.ts_event_review_started,
  INTEGRATION_REQUESTED: m.ts_event_integration_requested,
  ACCREDITED: m.ts_event_accredited,
  REJECTED: m.ts_event_rejected,
  SUSPENDED: m.ts_event_suspended,
  REINSTATED: m.ts_event_reinstated,
  SUPERSEDED: m.ts_event_superseded,
};

const ROLE: Record<string, () => string> = {
  PROVIDER_ADMIN: m.ts_role_provider_admin,
  OPERATOR: m.ts_role_operator,
  MANAGER: m.ts_role_manager,
  PLATFORM_ADMIN: m.ts_role_platform_admin,
  SYSTEM: m.ts_role_system,
};

export function tsStatusLabel(status: string): string {
  return (STATUS[status] ?? m.ts_status_draft)();
}

export function tsStatusTone(status: string): string {
  if (status === 'ACCREDITED') return 'success';
  if (status === 'SUSPENDED' || status === 'REJECTED') return 'danger';
  if (status === 'NEEDS_INTEGRATION') return 'warning';
  return 'secondary';
}

export function tsEventLabel(kind: string): string {
  return (EVENT[kind] ?? m.ts_event_created)();
}

export function tsRoleLabel(role: string): string {
  return (ROLE[role] ?? m.ts_role_system)();
}

import { registerEnumType } from 'type-graphql';

/**
 * Where a provider's accreditation request is. DRAFT → SUBMITTED → IN_REVIEW →
 * (NEEDS_INTEGRATION → SUBMITTED …) → ACCREDITED or REJECTED; ACCREDITED ⇄ SUSPENDED;
 * ACCREDITED or SUSPENDED → SUPERSEDED when a later request of the same provider and Comune (a
 * renewal) is accredited.
 */
export const ACCREDITATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'ACCREDITED',
  'REJECTED',
  'SUSPENDED',
  'SUPERSEDED',
] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];
export const ProviderAccreditationStatus = Object.fromEntries(
  ACCREDITATION_STATUSES.map((s) => [s, s]),
) as { [K in AccreditationStatus]: K };
registerEnumType(ProviderAccreditationStatus, {
  name: 'ProviderAccreditationStatus',
  description:
    'Where a provider’s accreditation request is: DRAFT (being written by the provider), SUBMITTED (sent to the Comune), IN_REVIEW (the Comune is examining it), NEEDS_INTEGRATION (the Comune asked for more; the provider resubmits), ACCREDITED (granted until its expiry date), REJECTED, SUSPENDED (by the Comune, effective at once), SUPERSEDED (replaced by a later accreditation, e.g. a renewal).',
});

/** The statuses of a request still being worked on: at most one per provider and Comune. */
export const PENDING_STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION'] as const;

/** What an entry of a request's history records. */
export const ACCREDITATION_EVENT_KINDS = [
  'CREATED',
  'DOCUMENT_UPLOADED',
  'SUBMITTED',
  'REVIEW_STARTED',
  'INTEGRATION_REQUESTED',
  'ACCREDITED',
  'REJECTED',
  'SUSPENDED',
  'REINSTATED',
  'SUPERSEDED',
] as const;
export type AccreditationEventKind = (typeof ACCREDITATION_EVENT_KINDS)[number];
export const ProviderAccreditationEventKind = Object.fromEntries(
  ACCREDITATION_EVENT_KINDS.map((s) => [s, s]),
) as { [K in AccreditationEventKind]: K };
registerEnumType(ProviderAccreditationEventKind, {
  name: 'ProviderAccreditationEventKind',
  description: 'What an entry of an accreditation request’s history records.',
});

/** The Comune’s decision on a request. */
export const DECISION_OUTCOMES = ['ACCREDITED', 'REJECTED'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export const ProviderAccreditationOutcome = Object.fromEntries(
  DECISION_OUTCOMES.map((s) => [s, s]),
) as { [K in DecisionOutcome]: K };
registerEnumType(ProviderAccreditationOutcome, {
  name: 'ProviderAccreditationOutcome',
  description: 'The Comune’s decision on an accreditation request: ACCREDITED or REJECTED.',
});

/** In which capacity someone acted on a request (kept in the history). */
export const ACTOR_ROLES = [
  'PROVIDER_ADMIN',
  'OPERATOR',
  'MANAGER',
  'PLATFORM_ADMIN',
  'SYSTEM',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

import { registerEnumType } from 'type-graphql';

/** Statuses of an application (domanda). */
export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'APPROVED',
  'ELIGIBLE_NOT_FUNDED',
  'REJECTED',
  'WITHDRAWN',
  'APPEALED',
  'PENDING_APPROVAL',
  'REVOKED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const ApplicationStatus = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, s])) as {
  [K in ApplicationStatus]: K;
};

/** Kinds of entry in a case's timeline. */
export const CASE_EVENT_KINDS = [
  'DRAFT_CREATED',
  'SUBMITTED',
  'CHECKS_RUN',
  'ASSIGNED',
  'REVIEW_STARTED',
  'INTEGRATION_REQUESTED',
  'INTEGRATION_SUBMITTED',
  'DOCUMENT_UPLOADED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'APPEALED',
  'RANKED',
  'DECISION_PROPOSED',
  'DECISION_RETURNED',
  'AMOUNT_CORRECTED',
  'REVOKED',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
export const CaseEventKind = Object.fromEntries(CASE_EVENT_KINDS.map((s) => [s, s])) as {
  [K in CaseEventKind]: K;
};

registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'Where an application is.',
  valuesConfig: {
    DRAFT: { description: 'Being filled in; saved and resumable; not yet submitted.' },
    SUBMITTED: { description: 'Submitted with a protocol number; waiting for an operator.' },
    IN_REVIEW: { description: 'An operator is examining it.' },
    NEEDS_INTEGRATION: {
      description: 'The Comune asked the applicant for more documents or information.',
    },
    APPROVED: { description: 'Eligible and funded: it carries its entitlement amount.' },
    ELIGIBLE_NOT_FUNDED: {
      description: 'Eligible, but below the last funded place of the ranking.',
    },
    REJECTED: { description: 'Not eligible: the decision carries its reason.' },
    WITHDRAWN: { description: 'Withdrawn by the applicant.' },
    APPEALED: { description: 'The applicant appealed against a rejection; under review again.' },
    PENDING_APPROVAL: {
      description:
        'An operator proposed a decision (a rejection, or an approval above the Comune’s limit) that waits for a MANAGER’s second approval; nothing else has changed yet.',
    },
    REVOKED: {
      description:
        'The benefit was revoked after it was granted (decadenza, DPR 445/2000 art. 75, e.g. a false self-declaration found by the checks of art. 71): the card’s unspent credit of the campaign went back to the campaign; no later top-up, card issuance or reminder uses it.',
    },
  },
});

registerEnumType(CaseEventKind, {
  name: 'CaseEventKind',
  description: 'What happened to an application.',
});

/** Where an application came from. */
export const APPLICATION_ORIGINS = ['PORTAL', 'DIRECT_LIST'] as const;
export type ApplicationOrigin = (typeof APPLICATION_ORIGINS)[number];
export const ApplicationOrigin = { PORTAL: 'PORTAL', DIRECT_LIST: 'DIRECT_LIST' } as const;

registerEnumType(ApplicationOrigin, {
  name: 'ApplicationOrigin',
  description: 'Where an application came from.',
  valuesConfig: {
    PORTAL: {
      description: 'Filled in on the portal by the citizen, or by an operator on their behalf.',
    },
    DIRECT_LIST: {
      description:
        'A beneficiary of a list the Comune decided outside the platform and imported: APPROVED with the list’s amount and reason, no draft.',
    },
  },
});

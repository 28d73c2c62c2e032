import { type ApplicationStatus, isOneOf } from '$lib/api-enums';
// The case queue's filter (GET parameters → ApplicationQueueFilter), the due-date rule and the
// "apply on behalf" form. Pure: unit-tested in queue.spec.ts.

/** Statuses the queue shows (drafts never reach the Comune). */
export const QUEUE_STATUSES = [
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INTEGRATION',
  'APPEALED',
  'APPROVED',
  'ELIGIBLE_NOT_FUNDED',
  'REJECTED',
  'WITHDRAWN',
  'PENDING_APPROVAL',
] as const satisfies readonly ApplicationStatus[];
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/**
 * Statuses waiting for the Comune's decision: only they can be past due. The same set as the
 * worklist's "past due" count and the queue's `overdue` filter (public-welfare's
 * `TO_DECIDE_STATUSES`, modules/application/queue.sql.ts): a case waiting for an integration has
 * its term suspended; a proposal waiting for the second approval is counted apart (to confirm).
 */
const TO_DECIDE_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'APPEALED'];

export const CHECKS_CHOICES = ['failed', 'passed'] as const;

/** What the filter form shows again. */
export interface QueueValues {
  campaign: string;
  statuses: string[];
  mine: boolean;
  checks: string;
  protocol: string;
  /** Only those past due (the worklist's count). */
  overdue: boolean;
  /** Only the integrations answered and not yet acted on (the worklist's count). */
  answered: boolean;
}

/** The API's ApplicationQueueFilter. */
export interface QueueFilterInput {
  campaignId?: string;
  statuses?: string[];
  mine?: boolean;
  checksFailed?: boolean;
  protocol?: string;
  overdue?: boolean;
  integrationAnswered?: boolean;
}

export type QueueProblem = 'choice' | 'protocol';

export interface ParsedQueue {
  values: QueueValues;
  filter: QueueFilterInput;
  problems: Partial<Record<'campaign' | 'status' | 'checks' | 'protocol', QueueProblem>>;
  after: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROTOCOL = /^[A-Za-z0-9/_-]{1,40}$/;

/** Reads the filter and the cursor from the queue page's search parameters. */
export function parseQueueFilter(params: URLSearchParams): ParsedQueue {
  const values: QueueValues = {
    campaign: (params.get('campaign') ?? '').trim(),
    statuses: params
      .getAll('status')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
    mine: ['1', 'on', 'true'].includes(params.get('mine') ?? ''),
    checks: (params.get('checks') ?? '').trim(),
    protocol: (params.get('protocol') ?? '').trim(),
    overdue: ['1', 'on', 'true'].includes(params.get('overdue') ?? ''),
    answered: ['1', 'on', 'true'].includes(params.get('answered') ?? ''),
  };
  const filter: QueueFilterInput = {};
  const problems: ParsedQueue['problems'] = {};
  if (values.campaign) {
    if (UUID.test(values.campaign)) filter.campaignId = values.campaign;
    else problems.campaign = 'choice';
  }
  if (values.statuses.length > 0) {
    const statuses = [...new Set(values.statuses)];
    if (statuses.every((s) => (QUEUE_STATUSES as readonly string[]).includes(s))) {
      filter.statuses = statuses;
    } else problems.status = 'choice';
  }
  if (values.mine) filter.mine = true;
  if (values.overdue) filter.overdue = true;
  if (values.answered) filter.integrationAnswered = true;
  if (values.checks === 'failed') filter.checksFailed = true;
  else if (values.checks === 'passed') filter.checksFailed = false;
  else if (values.checks) problems.checks = 'choice';
  if (values.protocol) {
    if (PROTOCOL.test(values.protocol)) filter.protocol = values.protocol;
    else problems.protocol = 'protocol';
  }
  return { values, filter, problems, after: (params.get('after') ?? '').trim() };
}

/** The query string of the queue for a filter (and a page cursor): `''` when there is none. */
export function queueSearch(values: QueueValues, after?: string | null): string {
  const params = new URLSearchParams();
  if (values.campaign) params.set('campaign', values.campaign);
  for (const s of values.statuses) params.append('status', s);
  if (values.mine) params.set('mine', '1');
  if (values.checks) params.set('checks', values.checks);
  if (values.protocol) params.set('protocol', values.protocol);
  if (values.overdue) params.set('overdue', '1');
  if (values.answered) params.set('answered', '1');
  if (after) params.set('after', after);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** True when a case waiting for a decision is past its due date (`dueBy` is the last day). */
export function isOverdue(
  application: { status: string; dueBy: string | null },
  today: string,
): boolean {
  return (
    application.dueBy !== null &&
    isOneOf(TO_DECIDE_STATUSES, application.status) &&
    application.dueBy < today
  );
}

/** The citizen application form of a measure, for staff applying on a citizen's behalf. */
export function onBehalfPath(campaignId: string, fiscalCode: string): string {
  return `/misure/${encodeURIComponent(campaignId)}/domanda?per=${encodeURIComponent(fiscalCode)}`;
}

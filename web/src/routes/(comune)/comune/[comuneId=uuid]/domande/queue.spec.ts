import { describe, expect, it } from 'vitest';
import { isOverdue, onBehalfPath, parseQueueFilter, queueSearch } from './queue';

const CAMPAIGN = '0b7c2d1e-0000-4000-8000-000000000901';

describe('the queue filter', () => {
  it('turns the page parameters into the API filter', () => {
    const parsed = parseQueueFilter(
      new URLSearchParams(
        `campaign=${CAMPAIGN}&status=submitted&status=IN_REVIEW&mine=1&checks=failed&protocol=2026/0001&after=NTA`,
      ),
    );
    expect(parsed.problems).toEqual({});
    expect(parsed.filter).toEqual({
      campaignId: CAMPAIGN,
      statuses: ['SUBMITTED', 'IN_REVIEW'],
      mine: true,
      checksFailed: true,
      protocol: '2026/0001',
    });
    expect(parsed.after).toBe('NTA');
    expect(queueSearch(parsed.values, 'X')).toBe(
      `?campaign=${CAMPAIGN}&status=SUBMITTED&status=IN_REVIEW&mine=1&checks=failed&protocol=2026%2F0001&after=X`,
    );
  });

  it('reads the worklist’s filters: past due and integrations answered', () => {
    const parsed = parseQueueFilter(new URLSearchParams('overdue=1&answered=1'));
    expect(parsed.problems).toEqual({});
    expect(parsed.filter).toEqual({ overdue: true, integrationAnswered: true });
    expect(queueSearch(parsed.values)).toBe('?overdue=1&answered=1');
    expect(parseQueueFilter(new URLSearchParams('overdue=0')).filter).toEqual({});
  });

  it('is empty with no parameters, and says checks passed as false', () => {
    expect(parseQueueFilter(new URLSearchParams()).filter).toEqual({});
    expect(parseQueueFilter(new URLSearchParams('checks=passed')).filter).toEqual({
      checksFailed: false,
    });
    expect(queueSearch(parseQueueFilter(new URLSearchParams()).values)).toBe('');
  });

  it('refuses what it does not know', () => {
    const parsed = parseQueueFilter(
      new URLSearchParams('campaign=x&status=DRAFT&checks=maybe&protocol=%25%27'),
    );
    expect(parsed.problems).toEqual({
      campaign: 'choice',
      status: 'choice',
      checks: 'choice',
      protocol: 'protocol',
    });
    expect(parsed.filter).toEqual({});
  });
});

describe('due dates', () => {
  it('flags only open cases past their last day (Rome time)', () => {
    const today = '2026-11-24';
    expect(isOverdue({ status: 'SUBMITTED', dueBy: '2026-11-23' }, today)).toBe(true);
    expect(isOverdue({ status: 'IN_REVIEW', dueBy: '2026-11-24' }, today)).toBe(false);
    expect(isOverdue({ status: 'APPROVED', dueBy: '2026-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'SUBMITTED', dueBy: null }, today)).toBe(false);
  });

  it('agrees with the worklist and the queue filter: only cases waiting for a decision', () => {
    const today = '2026-11-24';
    const past = '2026-11-01';
    for (const status of ['SUBMITTED', 'IN_REVIEW', 'APPEALED']) {
      expect(isOverdue({ status, dueBy: past }, today)).toBe(true);
    }
    // An integration request suspends the term; a proposal waits for the second approval.
    for (const status of ['NEEDS_INTEGRATION', 'PENDING_APPROVAL', 'WITHDRAWN', 'REJECTED']) {
      expect(isOverdue({ status, dueBy: past }, today)).toBe(false);
    }
  });
});

describe('applying on behalf', () => {
  it('builds the form address', () => {
    expect(onBehalfPath(CAMPAIGN, 'RSSMRA80A01H501U')).toBe(
      `/misure/${CAMPAIGN}/domanda?per=RSSMRA80A01H501U`,
    );
  });
});

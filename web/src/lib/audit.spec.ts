import { describe, expect, it } from 'vitest';
import { auditSearch, mergeAuditEvents, parseAuditFilter } from './audit';

describe('the audit page’s filter', () => {
  it('reads Rome’s days as the instants they begin and end, and the texts as given', () => {
    const parsed = parseAuditFilter(
      new URLSearchParams('dal=2026-07-01&al=2026-07-02&azione=payment&autore=system'),
    );
    expect(parsed.problems).toEqual({});
    expect(parsed.filter).toEqual({
      from: '2026-06-30T22:00:00.000Z',
      to: '2026-07-02T21:59:59.999Z',
      action: 'PAYMENT',
      actor: 'system',
    });
    expect(auditSearch(parsed.values)).toBe(
      '?dal=2026-07-01&al=2026-07-02&azione=payment&autore=system',
    );
  });

  it('reports a bad day, a reversed range and a long text by field', () => {
    const parsed = parseAuditFilter(
      new URLSearchParams(`dal=2026-02-30&azione=${'x'.repeat(201)}`),
    );
    expect(Object.keys(parsed.problems).sort()).toEqual(['azione', 'dal']);
    const reversed = parseAuditFilter(new URLSearchParams('dal=2026-07-02&al=2026-07-01'));
    expect(Object.keys(reversed.problems)).toEqual(['al']);
  });

  it('combines the logs newest first', () => {
    const event = (seq: string, at: string) => ({
      seq,
      at,
      organisationId: null,
      actor: 'system',
      action: 'X',
      subject: 's',
    });
    const rows = mergeAuditEvents(
      {
        identity: [event('2', '2026-07-01T10:00:02.000Z'), event('1', '2026-07-01T10:00:00.000Z')],
        publicWelfare: [event('9', '2026-07-01T10:00:01.000Z')],
      },
      2,
    );
    expect(rows.map((r) => `${r.log}:${r.seq}`)).toEqual(['identity:2', 'publicWelfare:9']);
  });
});

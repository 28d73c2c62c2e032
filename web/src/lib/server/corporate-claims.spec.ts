import { describe, expect, it } from 'vitest';
import { claimOutcome, fileClaim, payrollTarget } from './corporate-claims';

const context = { token: 'tok', clientAddress: '203.0.113.7', requestId: 'req-12345678' };

function fieldErrors(fields: { field: string; it: string; en: string }[]) {
  return {
    errors: [
      {
        message: 'Invalid',
        extensions: {
          code: 'BAD_USER_INPUT',
          messages: { it: 'Dati non validi.', en: 'Invalid data.' },
          fields: fields.map((f) => ({ field: f.field, message: { it: f.it, en: f.en } })),
        },
      },
    ],
  };
}

describe('claimOutcome', () => {
  it('is the claim id on 201', () => {
    expect(claimOutcome(201, { claimId: 'c1' })).toEqual({ ok: true, claimId: 'c1' });
  });

  it('puts each field message on the form’s field (a receipt’s on the file input)', () => {
    const outcome = claimOutcome(
      400,
      fieldErrors([
        { field: 'amount', it: 'Troppo', en: 'Too much' },
        { field: 'receipts.1', it: 'Solo PDF', en: 'Only PDF' },
      ]),
    );
    expect(outcome).toMatchObject({
      ok: false,
      status: 400,
      failure: {
        fields: { amount: { it: 'Troppo' }, receipts: { it: 'Solo PDF', en: 'Only PDF' } },
      },
    });
  });

  it('a body too large is the receipts’ problem; no answer is a 503', () => {
    expect(claimOutcome(413, null)).toMatchObject({ ok: false, status: 413 });
    expect(claimOutcome(413, null)).toHaveProperty('failure.fields.receipts');
    expect(claimOutcome(0, null)).toMatchObject({ ok: false, status: 503 });
    expect(claimOutcome(502, 'oops')).toMatchObject({ ok: false, status: 503 });
  });
});

describe('fileClaim', () => {
  it('sends the known fields and the non-empty receipts as one form, with the session', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetch = ((url: URL | string, init?: RequestInit) => {
      sent.push({ url: String(url), init: init ?? {} });
      return Promise.resolve(new Response(JSON.stringify({ claimId: 'c9' }), { status: 201 }));
    }) as typeof globalThis.fetch;
    const data = new FormData();
    data.set('planId', 'p1');
    data.set('amount', '12,50');
    data.set('unknown', 'x');
    data.append('receipts', new File([new Uint8Array([1, 2])], 'a.pdf'));
    data.append('receipts', new File([], ''));
    expect(await fileClaim(context, data, { fetch })).toEqual({ ok: true, claimId: 'c9' });
    const body = sent[0]!.init.body as FormData;
    expect(sent[0]!.url).toMatch(/\/uploads\/corporate-welfare\/files\/claims$/);
    expect((sent[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(body.get('planId')).toBe('p1');
    expect(body.get('amount')).toBe('12,50');
    expect(body.get('description')).toBe('');
    expect(body.has('unknown')).toBe(false);
    expect(body.getAll('receipts')).toHaveLength(1);
  });
});

describe('payrollTarget', () => {
  it('names the subgraph’s export by format', () => {
    const target = payrollTarget('e1', '2026-12', 'xlsx');
    expect(target.path).toBe('exports/payroll.xlsx');
    expect(target.params?.toString()).toBe('employerId=e1&month=2026-12');
  });
});

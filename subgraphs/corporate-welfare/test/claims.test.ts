import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Suite } from '@welfare/kit/test-suite';
import type { Caller } from '@welfare/kit';
import { parseClaimForm } from '../src/modules/claim/claim.routes.js';
import { parseCents, type ClaimFiling } from '../src/modules/claim/claim.service.js';
import { AccountKind, accountCodes, book, owners } from '../src/modules/ledger/ledger.js';
import type { Services } from '../src/services.js';
import {
  ADMIN,
  ANONYMOUS,
  ORG_A,
  ORG_B,
  caught,
  errorCode,
  errorFields,
  setupSuite,
} from './helpers.js';

import { COMUNE, HR_A, HR_B, PDF, PNG, filing, seed as seedIn } from './claim-fixtures.js';

let suite: Suite<Services>;
const seed = (...args: Parameters<typeof seedIn> extends [unknown, ...infer R] ? R : never) =>
  seedIn(suite, ...args);
beforeAll(async () => {
  suite = await setupSuite('claims', { maxReceiptBytes: 64 * 1024 });
});
afterAll(() => suite.close());

const available = async (accountId: string) =>
  (await book.balance(suite.orm.em.fork(), accountId)).available;

const CLAIM = `query ($id: ID!) { welfareClaim(id: $id) { id status amountCents purpose relationship beneficiaryName rejectionReason employeeName receipts { id fileName contentType sizeBytes } } }`;
const QUEUE = `query ($e: ID!, $s: WelfareClaimStatus, $f: Int, $o: Int) { employerWelfareClaims(employerId: $e, status: $s, first: $f, offset: $o) { totalCount items { id status } } }`;
const APPROVE = `mutation ($id: ID!) { approveWelfareClaim(id: $id) { id status decidedAt } }`;
const REJECT = `mutation ($id: ID!, $r: String!) { rejectWelfareClaim(id: $id, reason: $r) { id status rejectionReason } }`;
const MINE = `{ myWelfareClaims { id status amountCents } }`;
const OPTIONS = `{ myWelfareClaimOptions { planId purposes availableCents } }`;

describe('filing a claim', () => {
  it('offers the employee their active plans with the reimbursable purposes and credit', async () => {
    const s = await seed('RSSMRA80A01G273X', 50_000);
    const result = await suite.run(OPTIONS, {}, s.employee);
    expect(result.errors).toBeUndefined();
    expect(result.data?.myWelfareClaimOptions).toEqual([
      {
        planId: s.planId,
        purposes: ['EDUCATION_CHILDCARE', 'PUBLIC_TRANSPORT'],
        availableCents: 50_000,
      },
    ]);
    expect((await suite.run(OPTIONS, {}, citizen())).data?.myWelfareClaimOptions).toEqual([]);
  });

  it('files a claim with its receipts; the employee and HR read it; the receipt downloads', async () => {
    const s = await seed('BNCGVN85M10F205Z', 50_000);
    const view = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId, {
        receipts: [
          { fileName: 'retta.pdf', content: PDF },
          { fileName: 'foto.png', content: PNG },
        ],
      }),
    );
    expect(view.claim).toMatchObject({
      status: 'SUBMITTED',
      amountCents: 12_050,
      employerId: ORG_A,
    });
    for (const caller of [s.employee, HR_A]) {
      const result = await suite.run(CLAIM, { id: view.claim.id }, caller);
      expect(result.errors).toBeUndefined();
      expect(result.data?.welfareClaim).toMatchObject({
        status: 'SUBMITTED',
        amountCents: 12_050,
        purpose: 'EDUCATION_CHILDCARE',
        relationship: 'CHILD',
        beneficiaryName: 'Lucia Rossi',
        receipts: [
          { fileName: 'retta.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
          { fileName: 'foto.png', contentType: 'image/png', sizeBytes: PNG.length },
        ],
      });
    }
    const receipt = await suite.services.claims.receipt(
      suite.orm.em.fork(),
      HR_A,
      view.receipts[0]!.id,
    );
    expect(Buffer.compare(receipt.content, PDF)).toBe(0);
    const mine = await suite.run(MINE, {}, s.employee);
    expect(mine.data?.myWelfareClaims).toEqual([
      { id: view.claim.id, status: 'SUBMITTED', amountCents: 12_050 },
    ]);
    // The credit is untouched until HR approves.
    expect(await available(s.account)).toBe(50_000);
  });

  it('refuses bad input with a message per field and writes nothing', async () => {
    const s = await seed('VRDLGU90A01H501X', 10_000);
    const before = [await suite.count('claim'), await suite.count('claim_receipt')];
    const cases: [Partial<ClaimFiling>, string][] = [
      [{ receipts: [] }, 'receipts'],
      [
        { purpose: 'ELDERLY_CARE', relationship: 'PARENT', beneficiaryBirthDate: '1940-01-01' },
        'purpose',
      ],
      [{ amount: '100,01' }, 'amount'],
      [{ amount: 'dieci' }, 'amount'],
      [
        { receipts: [{ fileName: 'virus.exe', content: Buffer.from('MZ\x90\x00binary') }] },
        'receipts.0',
      ],
      [
        {
          receipts: [
            { fileName: 'big.pdf', content: Buffer.concat([PDF, Buffer.alloc(70 * 1024)]) },
          ],
        },
        'receipts.0',
      ],
      [{ relationship: 'SPOUSE' }, 'relationship'],
      [{ beneficiaryFiscalCode: 'RSSLCU15A41G273X' }, 'beneficiaryFiscalCode'],
      [{ expenseDate: '2099-01-01' }, 'expenseDate'],
      [{ expenseDate: '2000-01-01' }, 'expenseDate'],
      [{ planId: randomUUID() }, 'planId'],
      [{ description: '' }, 'description'],
    ];
    for (const [overrides, field] of cases) {
      const err = await caught(() =>
        suite.services.claims.file(suite.orm.em.fork(), s.employee, filing(s.planId, overrides)),
      );
      expect(err?.code, field).toBe('BAD_USER_INPUT');
      expect(
        err?.fields.map((f) => f.field),
        JSON.stringify(overrides).slice(0, 80),
      ).toContain(field);
      expect(err?.fields.every((f) => f.message.it && f.message.en)).toBe(true);
    }
    // Every problem at once.
    const all = await caught(() =>
      suite.services.claims.file(
        suite.orm.em.fork(),
        s.employee,
        filing(s.planId, {
          receipts: [],
          amount: '500',
          purpose: 'ELDERLY_CARE',
          relationship: 'PARENT',
          beneficiaryBirthDate: '1940-01-01',
        }),
      ),
    );
    expect(all?.fields.map((f) => f.field).sort()).toEqual(['amount', 'purpose', 'receipts']);
    expect(all?.fields.find((f) => f.field === 'amount')?.message.it).toContain('100,00 €');
    expect([await suite.count('claim'), await suite.count('claim_receipt')]).toEqual(before);
    expect(await available(s.account)).toBe(10_000);
  });

  it('f-ter: an elderly relative (75+ on the day) or a dependent one; never the employee', async () => {
    const s = await seed('NREMRA70A01F205P', 10_000, '{ELDERLY_CARE}');
    const elderly = {
      purpose: 'ELDERLY_CARE',
      relationship: 'PARENT',
      beneficiaryFiscalCode: 'RSSGPP45A01F205W',
      beneficiaryName: 'Giuseppe Rossi',
      amount: '10',
    };
    const young = await caught(() =>
      suite.services.claims.file(
        suite.orm.em.fork(),
        s.employee,
        filing(s.planId, { ...elderly, beneficiaryBirthDate: '1990-01-01' }),
      ),
    );
    expect(young?.fields.map((f) => f.field)).toEqual(['beneficiaryBirthDate']);
    const self = await caught(() =>
      suite.services.claims.file(
        suite.orm.em.fork(),
        s.employee,
        filing(s.planId, { ...elderly, relationship: 'SELF', beneficiaryDependent: true }),
      ),
    );
    expect(self?.fields.map((f) => f.field)).toEqual(['relationship']);
    const old = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId, { ...elderly, beneficiaryBirthDate: '1945-01-01' }),
    );
    expect(old.claim.status).toBe('SUBMITTED');
    const dependent = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId, { ...elderly, beneficiaryDependent: true }),
    );
    expect(dependent.claim.beneficiaryDependent).toBe(true);
  });

  it('refuses a person who is nobody’s employee (FORBIDDEN) and an anonymous caller', async () => {
    const s = await seed('GLLFNC75C03L219N', 10_000);
    const staff = await caught(() =>
      suite.services.claims.file(suite.orm.em.fork(), HR_A, filing(s.planId)),
    );
    expect(staff?.code).toBe('FORBIDDEN');
    const stranger = await caught(() =>
      suite.services.claims.file(
        suite.orm.em.fork(),
        { ...citizen(), fiscalCode: 'BNCLRA80A41H501U' },
        filing(s.planId),
      ),
    );
    expect(stranger?.fields.map((f) => f.field)).toContain('planId');
    expect(
      (
        await caught(() =>
          suite.services.claims.file(suite.orm.em.fork(), ANONYMOUS, filing(s.planId)),
        )
      )?.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('parses the upload form (multipart) into a filing, skipping an empty file input', async () => {
    const form = new FormData();
    form.set('planId', 'p');
    form.set('purpose', 'PUBLIC_TRANSPORT');
    form.set('amount', '35,00');
    form.set('beneficiaryDependent', 'on');
    form.append('receipts', new Blob([PDF], { type: 'application/pdf' }), 'abbonamento.pdf');
    form.append('receipts', new Blob([]), '');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const parsed = await parseClaimForm(
      request.headers.get('content-type') ?? '',
      Buffer.from(await request.arrayBuffer()),
    );
    expect(parsed).toMatchObject({
      planId: 'p',
      purpose: 'PUBLIC_TRANSPORT',
      amount: '35,00',
      description: '',
      beneficiaryDependent: true,
    });
    expect(parsed?.receipts).toHaveLength(1);
    expect(parsed?.receipts[0]?.fileName).toBe('abbonamento.pdf');
    expect(Buffer.compare(parsed!.receipts[0]!.content, PDF)).toBe(0);
    expect(await parseClaimForm('application/json', Buffer.from('{}'))).toBeUndefined();
  });

  it('reads euro amounts as typed', () => {
    expect(parseCents('12')).toBe(1200);
    expect(parseCents('12,5')).toBe(1250);
    expect(parseCents('1.234,56 €')).toBe(123_456);
    expect(parseCents('1.234')).toBe(123_400);
    expect(parseCents('12.50')).toBe(1250);
    expect(parseCents('12,345')).toBeUndefined();
    expect(parseCents('-3')).toBeUndefined();
  });
});

describe('HR’s decision', () => {
  it('approves: the amount moves credit → payroll once (idempotent); a rejection after is a CONFLICT', async () => {
    const s = await seed('FRRLCU82B15L736K', 50_000);
    const view = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId),
    );
    const first = await suite.run(APPROVE, { id: view.claim.id }, HR_A);
    expect(first.errors).toBeUndefined();
    expect(first.data?.approveWelfareClaim).toMatchObject({ status: 'APPROVED' });
    const again = await suite.run(APPROVE, { id: view.claim.id }, HR_A);
    expect(again.data?.approveWelfareClaim).toEqual(first.data?.approveWelfareClaim);
    expect(await available(s.account)).toBe(50_000 - 12_050);
    const [payroll] = await book.accounts(suite.orm.em.fork(), {
      codes: [accountCodes.payroll(s.planId)],
    });
    expect(payroll).toMatchObject({ kind: 'PAYROLL', posted: 12_050 });
    const moves = await book.movementTotals(
      suite.orm.em.fork(),
      { ids: [s.account] },
      { codes: ['REIMBURSEMENT'] },
    );
    expect(moves).toMatchObject([{ debits: 12_050, count: 1 }]);
    expect(
      errorCode(await suite.run(REJECT, { id: view.claim.id, r: 'Ricevuta illeggibile' }, HR_A)),
    ).toBe('CONFLICT');
    expect((await book.checkInvariants(suite.orm.em.fork())).ok).toBe(true);
  });

  it('rejects with a reason the employee reads; no money moves; approving after is a CONFLICT', async () => {
    const s = await seed('CSTMRC77D22L219Q', 50_000);
    const view = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId),
    );
    const empty = await suite.run(REJECT, { id: view.claim.id, r: ' ' }, HR_A);
    expect(errorFields(empty)).toEqual(['reason']);
    const rejected = await suite.run(
      REJECT,
      { id: view.claim.id, r: 'La ricevuta non indica chi ha usato il servizio.' },
      HR_A,
    );
    expect(rejected.data?.rejectWelfareClaim).toMatchObject({ status: 'REJECTED' });
    const seen = await suite.run(CLAIM, { id: view.claim.id }, s.employee);
    expect(seen.data?.welfareClaim).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'La ricevuta non indica chi ha usato il servizio.',
    });
    expect(errorCode(await suite.run(APPROVE, { id: view.claim.id }, HR_A))).toBe('CONFLICT');
    expect(await available(s.account)).toBe(50_000);
  });

  it('concurrent approvals and a concurrent payment never overdraw the credit', async () => {
    const s = await seed('MNTGNN88E50F839W', 10_000);
    const claims = [];
    for (let i = 0; i < 3; i++) {
      claims.push(
        await suite.services.claims.file(
          suite.orm.em.fork(),
          s.employee,
          filing(s.planId, { amount: '40' }),
        ),
      );
    }
    const em = suite.orm.em.fork();
    const provider = await book.openAccountId(em, {
      code: accountCodes.provider(s.planId, ORG_B),
      kind: AccountKind.PROVIDER,
      owner: owners.provider(ORG_B, s.planId),
    });
    const outcomes = await Promise.allSettled([
      ...claims.map((c) => suite.services.claims.approve(suite.orm.em.fork(), HR_A, c.claim.id)),
      // The same claim approved twice at once: one transfer.
      suite.services.claims.approve(suite.orm.em.fork(), HR_A, claims[0]!.claim.id),
      book.transfer(suite.orm.em.fork(), {
        id: randomUUID(),
        debit: s.account,
        credit: provider,
        amount: 3_000,
        code: 'SERVICE_PAYMENT',
      }),
    ]);
    const balance = await book.balance(suite.orm.em.fork(), s.account);
    expect(balance.posted).toBeGreaterThanOrEqual(0);
    const approved = await suite.sql<{ n: string; total: string }>(
      `select count(*) as n, coalesce(sum(amount_cents), 0) as total from corporate_welfare.claim where plan_id = ? and status = 'APPROVED'`,
      [s.planId],
    );
    const paid = outcomes[4]!.status === 'fulfilled' ? 3_000 : 0;
    expect(Number(approved[0]!.total) + paid + balance.posted).toBe(10_000);
    expect(Number(approved[0]!.n)).toBeLessThanOrEqual(2);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as { code?: string }).code).toBe('CONFLICT');
    }
    const moves = await book.movementTotals(
      suite.orm.em.fork(),
      { ids: [s.account] },
      { codes: ['REIMBURSEMENT'] },
    );
    expect(moves[0]?.count ?? 0).toBe(Number(approved[0]!.n));
    expect((await book.checkInvariants(suite.orm.em.fork())).ok).toBe(true);
  });
});

describe('tenancy', () => {
  it('HR sees only its employer’s claims; an employee only their own; a Comune and admins nothing', async () => {
    const s = await seed('PLLSFN79H12A944C', 50_000);
    const view = await suite.services.claims.file(
      suite.orm.em.fork(),
      s.employee,
      filing(s.planId),
    );
    const id = view.claim.id;
    const receiptId = view.receipts[0]!.id;
    const otherEmployee: Caller = { ...citizen(), fiscalCode: 'RSSMRA80A01G273X' };

    const queue = await suite.run(QUEUE, { e: ORG_A, s: 'SUBMITTED', f: 200 }, HR_A);
    expect(queue.errors).toBeUndefined();
    const page = queue.data?.employerWelfareClaims as {
      totalCount: number;
      items: { id: string }[];
    };
    expect(page.items.map((c) => c.id)).toContain(id);
    const paged = await suite.run(QUEUE, { e: ORG_A, f: 1, o: 1 }, HR_A);
    expect((paged.data?.employerWelfareClaims as { items: unknown[] }).items).toHaveLength(1);
    expect(errorFields(await suite.run(QUEUE, { e: ORG_A, f: 0 }, HR_A))).toEqual(['first']);

    for (const caller of [HR_B, COMUNE, ADMIN, s.employee, otherEmployee]) {
      expect(errorCode(await suite.run(QUEUE, { e: ORG_A }, caller))).toBe('FORBIDDEN');
    }
    expect(errorCode(await suite.run(QUEUE, { e: ORG_A }, ANONYMOUS))).toBe('UNAUTHENTICATED');
    for (const caller of [HR_B, COMUNE, ADMIN, otherEmployee]) {
      expect(errorCode(await suite.run(CLAIM, { id }, caller))).toBe('NOT_FOUND');
      expect(
        (await caught(() => suite.services.claims.receipt(suite.orm.em.fork(), caller, receiptId)))
          ?.code,
      ).toBe('NOT_FOUND');
      expect(errorCode(await suite.run(APPROVE, { id }, caller))).toBe('NOT_FOUND');
      expect(errorCode(await suite.run(REJECT, { id, r: 'Non dovuto' }, caller))).toBe('NOT_FOUND');
    }
    // The employee cannot decide their own claim.
    expect(errorCode(await suite.run(APPROVE, { id }, s.employee))).toBe('NOT_FOUND');
    const others = await suite.run(MINE, {}, otherEmployee);
    expect((others.data?.myWelfareClaims as { id: string }[]).map((c) => c.id)).not.toContain(id);
    expect((await suite.run(MINE, {}, COMUNE)).data?.myWelfareClaims).toEqual([]);
    expect(await available(s.account)).toBe(50_000);
    expect(await suite.count('claim', { id, status: 'SUBMITTED' })).toBe(1);
  });
});

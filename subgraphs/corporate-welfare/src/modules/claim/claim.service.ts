import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller, type PersonCaller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { InsufficientFunds } from '@welfare/kit/book';
import { isIsoDate, romeToday } from '@welfare/kit/dates';
import { isValidPersonalFiscalCode, normaliseFiscalCode } from '@welfare/kit/pii';
import type { Employee } from '../employee/employee.entity.js';
import type { EmployeeRepository } from '../employee/employee.repository.js';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import { REIMBURSABLE_PURPOSES, type Plan } from '../plan/plan.entity.js';
import { requireHr } from '../shared/access.js';
import {
  CLAIM_RELATIONSHIPS,
  CLAIM_STATUSES,
  Claim,
  ClaimReceipt,
  type ClaimPurpose,
  type ClaimRelationship,
  type ClaimStatus,
} from './claim.entity.js';
import type { ClaimRepository, ReceiptMeta } from './claim.repository.js';
import { ELDERLY_AGE, MAX_RECEIPTS, RELATIONSHIPS_OF, ageOn, euro } from './claim.rules.js';
import { sniffDocumentType } from './documents.js';

/** A claim as its readers see it: with the employee's and plan's names and its receipts. */
export interface ClaimView {
  claim: Claim;
  employeeName: string;
  employeeFiscalCode: string;
  planName: string;
  receipts: ReceiptMeta[];
}

/** What an employee files (the upload route's form, parsed). */
export interface ClaimFiling {
  planId: string;
  purpose: string;
  relationship: string;
  beneficiaryName: string;
  beneficiaryFiscalCode: string;
  /** `YYYY-MM-DD` or empty. */
  beneficiaryBirthDate: string;
  beneficiaryDependent: boolean;
  expenseDate: string;
  description: string;
  /** The amount in euro as typed (`12,50`, `1.234,56`): see `parseCents`. */
  amount: string;
  receipts: { fileName: string; content: Buffer }[];
}

/** A plan on which the employee may file a claim, with the credit they can claim. */
export interface ClaimOption {
  plan: Plan;
  employee: Employee;
  purposes: ClaimPurpose[];
  availableCents: number;
}

export interface ClaimQueueFilter {
  status?: ClaimStatus | null;
  first?: number | null;
  offset?: number | null;
}

export interface ClaimServiceOptions {
  /** The largest receipt, in bytes. */
  maxReceiptBytes: number;
  now?: () => Date;
}

const MINE_LIMIT = 100;

const notFound = () =>
  DomainError.notFound({ it: 'Richiesta di rimborso non trovata.', en: 'Claim not found.' });

/**
 * The rules of reimbursement claims: an employee files one on an ACTIVE plan of theirs for a
 * reimbursable purpose the plan allows, with receipts, within their credit; the employer's HR
 * approves it (the amount moves employee credit → the plan's payroll account, once) or rejects
 * it with a reason. HR sees its employer's claims, an employee their own, nobody else anything.
 */
export class ClaimService {
  private readonly now: () => Date;
  readonly maxReceiptBytes: number;

  constructor(
    private readonly repository: ClaimRepository,
    private readonly employees: EmployeeRepository,
    options: ClaimServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxReceiptBytes = options.maxReceiptBytes;
  }

  // ---- the employee's side -------------------------------------------------------------------

  /** The caller's employments in force today (none for a person without a codice fiscale). */
  private async myEmployments(em: EntityManager, person: PersonCaller): Promise<Employee[]> {
    if (!person.fiscalCode) return [];
    return this.employees.byFiscalCode(em, person.fiscalCode, romeToday(this.now));
  }

  /** The ACTIVE plans the caller may claim on, each with its reimbursable purposes and credit. */
  async options(em: EntityManager, caller: Caller): Promise<ClaimOption[]> {
    const person = requirePerson(caller);
    const employments = await this.myEmployments(em, person);
    const plans = await this.repository.activePlansOf(
      em,
      employments.map((e) => e.employerId),
    );
    const eligible = plans.flatMap((plan) => {
      const purposes = REIMBURSABLE_PURPOSES.filter((p) => plan.purposes.includes(p));
      const employee = employments.find(
        (e) =>
          e.employerId === plan.employerId &&
          plan.categories.getItems().some((c) => c.code === e.categoryCode),
      );
      return purposes.length > 0 && employee ? [{ plan, employee, purposes }] : [];
    });
    // What each credit can pay now, as the book reads it (shown on the form only: the approval's
    // transfer is what the book checks against the balance).
    const codeOf = (o: (typeof eligible)[number]) =>
      accountCodes.employee(o.plan.id, o.employee.id);
    const accounts = await book.accounts(em, { codes: eligible.map(codeOf) });
    const available = new Map(accounts.map((a) => [a.code, a.available]));
    return eligible.map((o): ClaimOption => ({
      ...o,
      availableCents: available.get(codeOf(o)) ?? 0,
    }));
  }

  /**
   * Files a claim with its receipts: every field checked and reported at once (BAD_USER_INPUT,
   * nothing written); FORBIDDEN for a person who is nobody's employee.
   */
  async file(em: EntityManager, caller: Caller, input: ClaimFiling): Promise<ClaimView> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) {
      throw DomainError.forbidden({
        it: 'Solo i dipendenti entrati con SPID o CIE possono chiedere un rimborso.',
        en: 'Only employees logged in with SPID or CIE can claim a reimbursement.',
      });
    }
    const today = romeToday(this.now);
    const errors = new FieldErrors();
    const options = await this.options(em, caller);
    const option = isUuid(input.planId)
      ? options.find((o) => o.plan.id === input.planId)
      : undefined;
    if (!option) {
      errors.add(
        'planId',
        'Scegliere uno dei propri piani attivi.',
        'Choose one of your active plans.',
      );
    }
    const purpose = input.purpose as ClaimPurpose;
    if (!(REIMBURSABLE_PURPOSES as readonly string[]).includes(input.purpose)) {
      errors.add(
        'purpose',
        'Scegliere per cosa si chiede il rimborso.',
        'Choose what the reimbursement is for.',
      );
    } else if (option && !option.purposes.includes(purpose)) {
      errors.add(
        'purpose',
        'Il piano non prevede il rimborso di questa spesa.',
        'The plan does not reimburse this kind of expense.',
      );
    }
    const relationship = input.relationship as ClaimRelationship;
    const knownRelationship = (CLAIM_RELATIONSHIPS as readonly string[]).includes(relationship);
    if (!knownRelationship) {
      errors.add('relationship', 'Indicare chi ha usato il servizio.', 'Say who used the service.');
    } else if (RELATIONSHIPS_OF[purpose] && !RELATIONSHIPS_OF[purpose].includes(relationship)) {
      errors.add(
        'relationship',
        purpose === 'EDUCATION_CHILDCARE'
          ? 'Questo rimborso riguarda i figli.'
          : 'Questo rimborso riguarda un familiare anziano o non autosufficiente, non il dipendente.',
        purpose === 'EDUCATION_CHILDCARE'
          ? 'This reimbursement is for children.'
          : 'This reimbursement is for an elderly or dependent relative, not the employee.',
      );
    }
    let beneficiaryName = input.beneficiaryName.trim().replace(/\s+/g, ' ');
    let beneficiaryFiscalCode = normaliseFiscalCode(input.beneficiaryFiscalCode);
    if (relationship === 'SELF' && option) {
      beneficiaryName ||= `${option.employee.givenName} ${option.employee.familyName}`;
      beneficiaryFiscalCode ||= option.employee.fiscalCode;
    }
    if (beneficiaryName.length < 2 || beneficiaryName.length > 200) {
      errors.add(
        'beneficiaryName',
        'Indicare nome e cognome (2-200 caratteri).',
        'Give the name (2-200 characters).',
      );
    }
    if (!isValidPersonalFiscalCode(beneficiaryFiscalCode)) {
      errors.add('beneficiaryFiscalCode', 'Codice fiscale non valido.', 'Invalid codice fiscale.');
    }
    const expenseDate = input.expenseDate.trim();
    if (!isIsoDate(expenseDate)) {
      errors.add('expenseDate', 'Indicare la data della spesa.', 'Give the date of the expense.');
    } else if (expenseDate > today) {
      errors.add(
        'expenseDate',
        'La data non può essere futura.',
        'The date cannot be in the future.',
      );
    } else if (option && expenseDate < `${option.plan.year - 1}-01-01`) {
      errors.add(
        'expenseDate',
        `Sono rimborsabili le spese dal 01/01/${option.plan.year - 1}.`,
        `Expenses from 01/01/${option.plan.year - 1} can be reimbursed.`,
      );
    }
    const birthDate = input.beneficiaryBirthDate.trim();
    if (birthDate && (!isIsoDate(birthDate) || birthDate > today)) {
      errors.add('beneficiaryBirthDate', 'Data di nascita non valida.', 'Invalid birth date.');
    }
    if (
      purpose === 'ELDERLY_CARE' &&
      !input.beneficiaryDependent &&
      isIsoDate(expenseDate) &&
      !(isIsoDate(birthDate) && ageOn(birthDate, expenseDate) >= ELDERLY_AGE)
    ) {
      errors.add(
        'beneficiaryBirthDate',
        `Il familiare deve avere almeno ${ELDERLY_AGE} anni alla data della spesa, o essere non autosufficiente.`,
        `The relative must be ${ELDERLY_AGE} or over on the expense's date, or not self-sufficient.`,
      );
    }
    const description = input.description.trim();
    if (description.length < 3 || description.length > 1000) {
      errors.add(
        'description',
        'Descrivere la spesa (3-1000 caratteri).',
        'Describe the expense (3-1000 characters).',
      );
    }
    const amount = parseCents(input.amount);
    if (amount === undefined || amount < 1 || amount > 100_000_000) {
      errors.add('amount', 'Indicare un importo valido in euro.', 'Give a valid amount in euro.');
    } else if (option && amount > option.availableCents) {
      errors.add(
        'amount',
        `L'importo supera il credito disponibile (${euro(option.availableCents)}).`,
        `The amount is over the available credit (${euro(option.availableCents)}).`,
      );
    }
    const receipts: { fileName: string; content: Buffer; contentType: string }[] = [];
    if (input.receipts.length === 0) {
      errors.add('receipts', 'Allegare almeno una ricevuta.', 'Attach at least one receipt.');
    } else if (input.receipts.length > MAX_RECEIPTS) {
      errors.add(
        'receipts',
        `Al massimo ${MAX_RECEIPTS} ricevute.`,
        `At most ${MAX_RECEIPTS} receipts.`,
      );
    }
    input.receipts.slice(0, MAX_RECEIPTS).forEach((r, i) => {
      const field = `receipts.${i}`;
      const fileName = r.fileName.trim().slice(0, 200) || `ricevuta-${i + 1}`;
      const contentType = sniffDocumentType(r.content);
      if (r.content.length === 0) {
        errors.add(field, 'Il file è vuoto.', 'The file is empty.');
      } else if (r.content.length > this.maxReceiptBytes) {
        const mb = Math.floor(this.maxReceiptBytes / 1_048_576);
        errors.add(field, `Il file supera ${mb} MB.`, `The file is over ${mb} MB.`);
      } else if (!contentType) {
        errors.add(field, 'Sono ammessi solo PDF, JPEG o PNG.', 'Only PDF, JPEG or PNG files.');
      } else {
        receipts.push({ fileName, content: r.content, contentType });
      }
    });
    errors.throwIfAny();
    const chosen = option!;
    const claim = await em.transactional(async (tx) => {
      const row = tx.create(Claim, {
        employerId: chosen.plan.employerId,
        planId: chosen.plan.id,
        employeeId: chosen.employee.id,
        purpose,
        relationship,
        beneficiaryName,
        beneficiaryFiscalCode,
        beneficiaryBirthDate: birthDate || null,
        beneficiaryDependent: purpose === 'ELDERLY_CARE' && input.beneficiaryDependent,
        expenseDate,
        description,
        amountCents: amount!,
        filedBy: person.personId,
      });
      // The claim first: the receipts reference it (no ORM relation orders the inserts).
      await tx.flush();
      for (const [position, r] of receipts.entries()) {
        tx.create(ClaimReceipt, {
          claimId: row.id,
          position,
          fileName: r.fileName,
          contentType: r.contentType,
          sizeBytes: r.content.length,
          sha256: createHash('sha256').update(r.content).digest('hex'),
          content: r.content,
        });
      }
      await tx.flush();
      return row;
    });
    return (await this.views(em, [claim]))[0]!;
  }

  /** The caller's own claims at every employer, newest first (at most 100). */
  async mine(em: EntityManager, caller: Caller): Promise<ClaimView[]> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) return [];
    const employments = await this.employees.byFiscalCode(em, person.fiscalCode);
    const claims = await this.repository.ofEmployees(
      em,
      employments.map((e) => e.id),
      MINE_LIMIT,
    );
    return this.views(em, claims);
  }

  // ---- reading, for both sides ---------------------------------------------------------------

  /** May the caller read the claim: the employer's HR or the employee (by codice fiscale). */
  private async readable(em: EntityManager, person: PersonCaller, claim: Claim): Promise<boolean> {
    const hr = person.memberships.some(
      (m) => m.organisationId === claim.employerId && m.role === 'HR',
    );
    if (hr) return true;
    if (!person.fiscalCode) return false;
    const [employee] = await this.repository.employees(em, [claim.employeeId]);
    return employee?.fiscalCode === person.fiscalCode;
  }

  /** A claim with its receipts: NOT_FOUND for anyone but its employer's HR and its employee. */
  async get(em: EntityManager, caller: Caller, id: string): Promise<ClaimView> {
    const person = requirePerson(caller);
    if (!isUuid(id)) throw notFound();
    const claim = await em.findOne(Claim, id);
    if (!claim || !(await this.readable(em, person, claim))) throw notFound();
    return (await this.views(em, [claim]))[0]!;
  }

  /** A receipt with its content, for whoever may read its claim (NOT_FOUND otherwise). */
  async receipt(em: EntityManager, caller: Caller, id: string): Promise<ClaimReceipt> {
    const person = requirePerson(caller);
    if (!isUuid(id)) throw notFound();
    const receipt = await this.repository.receipt(em, id);
    const claim = receipt ? await em.findOne(Claim, receipt.claimId) : null;
    if (!receipt || !claim || !(await this.readable(em, person, claim))) throw notFound();
    return receipt;
  }

  // ---- HR's side -----------------------------------------------------------------------------

  /** The employer's claims by status (all by default), oldest first, a page: its HR only. */
  async queue(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    filter: ClaimQueueFilter = {},
  ): Promise<{ items: ClaimView[]; totalCount: number }> {
    requireHr(caller, employerId);
    const errors = new FieldErrors();
    const first = filter.first ?? 50;
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(first) || first < 1 || first > 200)
      errors.add('first', 'Da 1 a 200.', 'From 1 to 200.');
    if (!Number.isInteger(offset) || offset < 0)
      errors.add('offset', 'Un numero non negativo.', 'A non-negative number.');
    errors.throwIfAny();
    const statuses = filter.status ? [filter.status] : [...CLAIM_STATUSES];
    const page = await this.repository.queue(em, employerId, statuses, { first, offset });
    return { items: await this.views(em, page.items), totalCount: page.totalCount };
  }

  /** The claim locked for a decision by the employer's HR (NOT_FOUND for anyone else). */
  private async lockForHr(tx: EntityManager, caller: Caller, id: string): Promise<Claim> {
    const person = requirePerson(caller);
    if (!isUuid(id)) throw notFound();
    const claim = await tx.findOne(Claim, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!claim) throw notFound();
    if (!person.memberships.some((m) => m.organisationId === claim.employerId && m.role === 'HR'))
      throw notFound();
    return claim;
  }

  /**
   * Approves a claim: its amount moves from the employee's credit to the plan's payroll account
   * (code REIMBURSEMENT, a transfer id derived from the claim: applied once). Approving an
   * approved claim returns it as it is; a rejected one is a CONFLICT, as is a credit that no
   * longer covers the amount (the book never lets it go below zero).
   */
  async approve(em: EntityManager, caller: Caller, id: string): Promise<ClaimView> {
    const claim = await em.transactional(async (tx) => {
      const row = await this.lockForHr(tx, caller, id);
      if (row.status === 'APPROVED') return row;
      if (row.status === 'REJECTED') {
        throw DomainError.conflict({
          it: 'La richiesta è già stata respinta.',
          en: 'The claim was already rejected.',
        });
      }
      const person = requirePerson(caller);
      const [credit] = await book.accounts(tx, {
        codes: [accountCodes.employee(row.planId, row.employeeId)],
      });
      const payrollCode = accountCodes.payroll(row.planId);
      const [payroll] = await book.accounts(tx, { codes: [payrollCode] });
      const payrollId =
        payroll?.id ??
        (await book.openAccountId(tx, {
          code: payrollCode,
          kind: AccountKind.PAYROLL,
          hot: true,
          owner: owners.plan(row.planId),
        }));
      const insufficient = (available: number) =>
        DomainError.conflict({
          it: `Il credito disponibile del dipendente (${euro(available)}) non copre il rimborso.`,
          en: `The employee's available credit (${euro(available)}) does not cover the reimbursement.`,
        });
      if (!credit) throw insufficient(0);
      const transferId = deterministicId('claim', row.id, TransferCode.REIMBURSEMENT);
      try {
        await book.transfer(tx, {
          id: transferId,
          debit: credit.id,
          credit: payrollId,
          amount: row.amountCents,
          code: TransferCode.REIMBURSEMENT,
          reference: `claim:${row.id}`,
        });
      } catch (err) {
        if (err instanceof InsufficientFunds) throw insufficient(err.available);
        throw err;
      }
      row.status = 'APPROVED';
      row.decidedAt = this.now();
      row.decidedBy = person.personId;
      row.transferId = transferId;
      row.version += 1;
      await tx.flush();
      return row;
    });
    return (await this.views(em, [claim]))[0]!;
  }

  /**
   * Rejects a claim with a reason the employee reads on it (3-1000 characters). Rejecting a
   * rejected claim returns it as it is; an approved one is a CONFLICT.
   */
  async reject(em: EntityManager, caller: Caller, id: string, reason: string): Promise<ClaimView> {
    const text = reason.trim();
    const claim = await em.transactional(async (tx) => {
      const row = await this.lockForHr(tx, caller, id);
      if (row.status === 'REJECTED') return row;
      if (row.status === 'APPROVED') {
        throw DomainError.conflict({
          it: 'La richiesta è già stata approvata.',
          en: 'The claim was already approved.',
        });
      }
      if (text.length < 3 || text.length > 1000) {
        throw DomainError.badInput([
          {
            field: 'reason',
            message: {
              it: 'Indicare il motivo (3-1000 caratteri).',
              en: 'Give the reason (3-1000 characters).',
            },
          },
        ]);
      }
      row.status = 'REJECTED';
      row.rejectionReason = text;
      row.decidedAt = this.now();
      row.decidedBy = requirePerson(caller).personId;
      row.version += 1;
      await tx.flush();
      return row;
    });
    return (await this.views(em, [claim]))[0]!;
  }

  /** Claims with the names of their employees and plans and their receipts. */
  private async views(em: EntityManager, claims: Claim[]): Promise<ClaimView[]> {
    const [employees, plans, receipts] = await Promise.all([
      this.repository.employees(em, [...new Set(claims.map((c) => c.employeeId))]),
      this.repository.plans(em, [...new Set(claims.map((c) => c.planId))]),
      this.repository.receiptsOf(
        em,
        claims.map((c) => c.id),
      ),
    ]);
    return claims.map((claim) => {
      const employee = employees.find((e) => e.id === claim.employeeId);
      return {
        claim,
        employeeName: employee ? `${employee.givenName} ${employee.familyName}` : '',
        employeeFiscalCode: employee?.fiscalCode ?? '',
        planName: plans.find((p) => p.id === claim.planId)?.name ?? '',
        receipts: receipts.filter((r) => r.claimId === claim.id),
      };
    });
  }
}

/**
 * An amount typed in euro (`12`, `12,5`, `1.234,56`, `12.50`) as cents; undefined when it is not
 * one. A dot followed by exactly three digits groups thousands; otherwise it is the decimal mark.
 */
export function parseCents(text: string): number | undefined {
  const t = text.trim().replace(/\s|€/g, '');
  if (!t) return undefined;
  let normal: string;
  if (t.includes(',')) normal = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(t)) normal = t.replace(/\./g, '');
  else normal = t;
  if (!/^\d+(\.\d{1,2})?$/.test(normal)) return undefined;
  const [whole, fraction = ''] = normal.split('.') as [string, string?];
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isComuneStaff, isUuid, requireComuneStaff, requirePerson } from '@welfare/kit/access';
import { addDays, isIsoDate, romeToday } from '@welfare/kit/dates';
import { DomainError, FieldErrors, type Localized } from '@welfare/kit/errors';
import {
  isValidPartitaIva,
  isValidPersonalFiscalCode,
  normaliseFiscalCode,
} from '@welfare/kit/pii';
import type { CreditorDirectory } from './creditor.port.js';
import { parseFlow, type FlowLine } from './flow-parser.js';
import { MAX_QR_AMOUNT_CENTS, isSegregationCode, noticeCodes } from './notice-code.js';
import type {
  NoticeFilter,
  NoticeRow,
  NoticeStatus,
  PagopaRepository,
} from './pagopa.repository.js';

/** What a Comune's staff fills in to issue a notice. */
export interface IssueNotice {
  comuneId: string;
  debtorFiscalCode: string;
  debtorName: string;
  reason: string;
  amountCents: number;
  dueDate: string;
}

/** What the reconciliation did with one line of a flow. */
export const LINE_OUTCOMES = [
  'PAID',
  'ALREADY_PAID',
  'UNMATCHED',
  'AMOUNT_MISMATCH',
  'NOT_PAYABLE',
  'REVOKED',
  'BAD_LINE',
] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

export interface LineResult {
  index: number;
  iuv: string;
  iur: string;
  amountCents: number | null;
  outcome: LineOutcome;
  noticeId: string | null;
  /** The notice's amount, for AMOUNT_MISMATCH. */
  expectedCents: number | null;
  message: Localized | null;
}

export interface ReconciliationReport {
  flowId: string;
  pspName: string;
  settlementDate: string;
  lines: LineResult[];
}

export interface PagopaSettings {
  /** The codice segregazione pagoPA assigned to this platform (two digits). */
  segregationCode: string;
  /** How far ahead a due date may be, in days. */
  maxDueDays: number;
}

/** Longest debtor name and reason (the notice's printed fields; pagoPA's causale is 140). */
const MAX_NAME = 70;
const MAX_REASON = 140;

/**
 * pagoPA notices of a Comune: issue (with the IUV and the notice number), list, cancel, and mark
 * paid from the Comune's Flusso di Rendicontazione. No live pagoPA node: the formats are pagoPA's.
 */
export class PagopaService {
  constructor(
    private readonly repository: PagopaRepository,
    private readonly creditors: CreditorDirectory,
    private readonly settings: PagopaSettings,
    private readonly today: () => string = () => romeToday(),
  ) {
    if (!isSegregationCode(settings.segregationCode)) throw new Error('Bad segregation code');
  }

  /** Issues a notice: every invalid field at once (BAD_USER_INPUT), nothing written then. */
  async issue(em: EntityManager, caller: Caller, input: IssueNotice): Promise<NoticeRow> {
    const person = requireComuneStaff(caller, input.comuneId);
    const errors = new FieldErrors();
    const debtorFiscalCode = normaliseFiscalCode(input.debtorFiscalCode);
    if (!isValidPersonalFiscalCode(debtorFiscalCode) && !isValidPartitaIva(debtorFiscalCode)) {
      errors.add(
        'debtorFiscalCode',
        'Codice fiscale non valido (16 caratteri, o 11 cifre per una persona giuridica).',
        'Invalid codice fiscale (16 characters, or 11 digits for a legal person).',
      );
    }
    const debtorName = input.debtorName.trim().replace(/\s+/g, ' ');
    if (debtorName.length < 2 || debtorName.length > MAX_NAME) {
      errors.add(
        'debtorName',
        `Indica nome e cognome (da 2 a ${MAX_NAME} caratteri).`,
        `Enter the full name (2 to ${MAX_NAME} characters).`,
      );
    }
    const reason = input.reason.trim().replace(/\s+/g, ' ');
    if (reason.length < 3 || reason.length > MAX_REASON) {
      errors.add(
        'reason',
        `Indica la causale (da 3 a ${MAX_REASON} caratteri).`,
        `Enter the reason (3 to ${MAX_REASON} characters).`,
      );
    }
    if (
      !Number.isSafeInteger(input.amountCents) ||
      input.amountCents <= 0 ||
      input.amountCents > MAX_QR_AMOUNT_CENTS
    ) {
      errors.add(
        'amountCents',
        'L’importo deve essere maggiore di zero.',
        'The amount must be greater than zero.',
      );
    }
    const today = this.today();
    if (!isIsoDate(input.dueDate)) {
      errors.add('dueDate', 'Data di scadenza non valida.', 'Invalid due date.');
    } else if (input.dueDate < today || input.dueDate > addDays(today, this.settings.maxDueDays)) {
      errors.add(
        'dueDate',
        'La scadenza deve essere da oggi in poi, entro cinque anni.',
        'The due date must be from today on, within five years.',
      );
    }
    errors.throwIfAny();
    const creditor = await this.creditorOf(input.comuneId);
    return em.transactional(async (tx) => {
      const base = await this.repository.nextIuvBase(tx, creditor.fiscalCode);
      const codes = noticeCodes(this.settings.segregationCode, base);
      return this.repository.insert(tx, {
        id: randomUUID(),
        comuneId: input.comuneId,
        creditorFiscalCode: creditor.fiscalCode,
        creditorName: creditor.name,
        debtorFiscalCode,
        debtorName,
        reason,
        amountCents: input.amountCents,
        dueDate: input.dueDate,
        segregationCode: this.settings.segregationCode,
        ...codes,
        createdBy: person.personId,
      });
    });
  }

  /** A Comune's notices (its staff and platform admins; FORBIDDEN for others). */
  list(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    filter: { status?: NoticeStatus | undefined; search?: string | undefined; limit?: number },
  ): Promise<NoticeRow[]> {
    requireComuneStaff(caller, comuneId);
    const limit = filter.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      throw DomainError.badInput([
        { field: 'limit', message: { it: 'Da 1 a 200.', en: 'From 1 to 200.' } },
      ]);
    }
    const search = filter.search?.trim();
    const query: NoticeFilter = { status: filter.status, limit };
    if (search) query.search = search.slice(0, 100);
    return this.repository.ofComune(em, comuneId, query);
  }

  /** The notices addressed to the logged-in person's codice fiscale. */
  async mine(em: EntityManager, caller: Caller): Promise<NoticeRow[]> {
    const person = requirePerson(caller);
    if (!person.fiscalCode) return [];
    return this.repository.ofDebtor(em, normaliseFiscalCode(person.fiscalCode), 100);
  }

  /** One notice: its Comune's staff or its debtor; NOT_FOUND for anyone else. */
  async view(em: EntityManager, caller: Caller, id: string): Promise<NoticeRow> {
    const person = requirePerson(caller);
    const row = isUuid(id) ? await this.repository.findById(em, id) : null;
    const debtor =
      person.fiscalCode !== undefined &&
      row !== null &&
      normaliseFiscalCode(person.fiscalCode) === row.debtorFiscalCode;
    if (!row || !(debtor || isComuneStaff(person, row.comuneId))) throw DomainError.notFound();
    return row;
  }

  /** Cancels an UNPAID notice (its Comune's staff). CONFLICT once PAID or CANCELLED. */
  async cancel(em: EntityManager, caller: Caller, id: string): Promise<NoticeRow> {
    const person = requirePerson(caller);
    const row = isUuid(id) ? await this.repository.findById(em, id) : null;
    if (!row || !isComuneStaff(person, row.comuneId)) throw DomainError.notFound();
    const cancelled = await this.repository.cancel(em, id);
    if (!cancelled) {
      throw DomainError.conflict({
        it: 'Solo un avviso non pagato può essere annullato.',
        en: 'Only an unpaid notice can be cancelled.',
      });
    }
    return cancelled;
  }

  /**
   * Applies a Flusso di Rendicontazione the Comune downloaded: each executed payment (esito 0 or
   * 9) of one of the Comune's notices, for its exact amount, marks it PAID with the date, the PSP
   * and the IUR; a line seen before changes nothing (ALREADY_PAID), so a file uploaded twice has
   * one effect. A malformed file, or a flow for another creditor, is refused whole
   * (BAD_USER_INPUT on `xml`) and changes nothing; the lines are applied in one transaction.
   */
  async reconcile(
    em: EntityManager,
    caller: Caller,
    comuneId: string,
    xml: string,
  ): Promise<ReconciliationReport> {
    requireComuneStaff(caller, comuneId);
    const parsed = parseFlow(xml);
    if (!parsed.ok) {
      throw DomainError.badInput(parsed.problems.map((message) => ({ field: 'xml', message })));
    }
    const { flow } = parsed;
    const creditor = await this.creditorOf(comuneId);
    if (flow.creditorFiscalCode !== creditor.fiscalCode) {
      throw DomainError.badInput([
        {
          field: 'xml',
          message: {
            it: `Il flusso è destinato a un altro ente creditore (${flow.creditorFiscalCode}).`,
            en: `The flow is addressed to another creditor (${flow.creditorFiscalCode}).`,
          },
        },
      ]);
    }
    const psp = (flow.pspName ?? flow.pspCode).slice(0, 70);
    const lines = await em.transactional(async (tx) => {
      const iuvs = [...new Set(flow.lines.filter((l) => !l.problem).map((l) => l.iuv))];
      const notices = new Map(
        (await this.repository.lockByIuvs(tx, comuneId, iuvs)).map((n) => [n.iuv, n]),
      );
      const results: LineResult[] = [];
      for (const line of flow.lines) {
        results.push(await this.applyLine(tx, line, notices, psp, flow.flowId));
      }
      return results;
    });
    return { flowId: flow.flowId, pspName: psp, settlementDate: flow.settlementDate, lines };
  }

  private async applyLine(
    tx: EntityManager,
    line: FlowLine,
    notices: Map<string, NoticeRow>,
    psp: string,
    flowId: string,
  ): Promise<LineResult> {
    const result = (
      outcome: LineOutcome,
      notice: NoticeRow | undefined,
      message: Localized | null = null,
    ): LineResult => ({
      index: line.index,
      iuv: line.iuv,
      iur: line.iur,
      amountCents: line.amountCents,
      outcome,
      noticeId: notice?.id ?? null,
      expectedCents: outcome === 'AMOUNT_MISMATCH' ? (notice?.amountCents ?? null) : null,
      message,
    });
    if (line.problem) return result('BAD_LINE', undefined, line.problem);
    const notice = notices.get(line.iuv);
    if (line.outcome === '3') return result('REVOKED', notice);
    if (!notice) return result('UNMATCHED', undefined);
    if (notice.status === 'PAID') return result('ALREADY_PAID', notice);
    if (notice.status === 'CANCELLED') return result('NOT_PAYABLE', notice);
    if (line.amountCents !== notice.amountCents) return result('AMOUNT_MISMATCH', notice);
    const paid = await this.repository.markPaid(tx, notice.id, {
      date: line.date,
      amountCents: line.amountCents,
      psp,
      iur: line.iur,
      flowId,
    });
    if (!paid) return result('ALREADY_PAID', notice);
    // A second line for the same IUV in this file finds it paid.
    notices.set(line.iuv, { ...notice, status: 'PAID' });
    return result('PAID', notice);
  }

  private async creditorOf(comuneId: string) {
    const creditor = await this.creditors.creditor(comuneId);
    if (!creditor) throw DomainError.notFound();
    if (!/^[0-9]{11}$/.test(creditor.fiscalCode)) {
      throw DomainError.conflict({
        it: 'Il Comune non ha un codice fiscale numerico di 11 cifre: non può emettere avvisi pagoPA.',
        en: 'The Comune has no 11-digit codice fiscale: it cannot issue pagoPA notices.',
      });
    }
    return creditor;
  }
}

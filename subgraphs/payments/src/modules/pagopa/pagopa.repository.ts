import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';

/** Where a notice is. */
export const NOTICE_STATUSES = ['UNPAID', 'PAID', 'CANCELLED'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export interface NoticeRow {
  id: string;
  comuneId: string;
  creditorFiscalCode: string;
  creditorName: string;
  debtorFiscalCode: string;
  debtorName: string;
  reason: string;
  amountCents: number;
  /** YYYY-MM-DD. */
  dueDate: string;
  segregationCode: string;
  iuv: string;
  noticeNumber: string;
  status: NoticeStatus;
  /** YYYY-MM-DD (dataEsitoSingoloPagamento). */
  paidAt: string | null;
  paidAmountCents: number | null;
  psp: string | null;
  iur: string | null;
  flowId: string | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

export type NewNotice = Omit<
  NoticeRow,
  | 'status'
  | 'paidAt'
  | 'paidAmountCents'
  | 'psp'
  | 'iur'
  | 'flowId'
  | 'cancelledAt'
  | 'createdAt'
  | 'iuv'
  | 'noticeNumber'
> & { createdBy: string };

const N = '"payments"."pagopa_notice"';
const C = '"payments"."pagopa_creditor"';

const COLUMNS = `id, comune_id as "comuneId", creditor_fiscal_code as "creditorFiscalCode",
  creditor_name as "creditorName", debtor_fiscal_code as "debtorFiscalCode",
  debtor_name as "debtorName", reason, amount_cents::float8 as "amountCents",
  to_char(due_date, 'YYYY-MM-DD') as "dueDate", segregation_code as "segregationCode", iuv,
  notice_number as "noticeNumber", status, to_char(paid_at, 'YYYY-MM-DD') as "paidAt",
  paid_amount_cents::float8 as "paidAmountCents", psp, iur, flow_id as "flowId",
  cancelled_at as "cancelledAt", created_at as "createdAt"`;

/** A row as the driver answers it (timestamps may come as text): dates made Dates. */
function noticeOf(raw: NoticeRow): NoticeRow {
  return {
    ...raw,
    cancelledAt: raw.cancelledAt === null ? null : new Date(raw.cancelledAt),
    createdAt: new Date(raw.createdAt),
  };
}

/** A filter of a Comune's notices. */
export interface NoticeFilter {
  status?: NoticeStatus | undefined;
  /** Part of the debtor's name or codice fiscale, the notice number or the IUV. */
  search?: string | undefined;
  limit: number;
}

/** The pagoPA tables' queries. State changes are conditional updates from UNPAID. */
export class PagopaRepository {
  /**
   * The creditor's next IUV base: one upsert that locks the creditor's row until the caller's
   * transaction ends, so two issues never get the same number.
   */
  async nextIuvBase(em: EntityManager, creditorFiscalCode: string): Promise<number> {
    const rows = await em.execute<{ base: number }[]>(
      `insert into ${C} (fiscal_code, last_iuv_base) values (?, 1)
       on conflict (fiscal_code) do update set last_iuv_base = ${C}.last_iuv_base + 1
       returning last_iuv_base::float8 as base`,
      [creditorFiscalCode],
    );
    return rows[0]!.base;
  }

  async insert(
    em: EntityManager,
    n: NewNotice & { iuv: string; noticeNumber: string },
  ): Promise<NoticeRow> {
    const rows = await em.execute<NoticeRow[]>(
      `insert into ${N} (id, comune_id, creditor_fiscal_code, creditor_name, debtor_fiscal_code,
         debtor_name, reason, amount_cents, due_date, segregation_code, iuv, notice_number, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${COLUMNS}`,
      [
        n.id,
        n.comuneId,
        n.creditorFiscalCode,
        n.creditorName,
        n.debtorFiscalCode,
        n.debtorName,
        n.reason,
        n.amountCents,
        n.dueDate,
        n.segregationCode,
        n.iuv,
        n.noticeNumber,
        n.createdBy,
      ],
    );
    return noticeOf(rows[0]!);
  }

  async findById(em: EntityManager, id: string): Promise<NoticeRow | null> {
    const rows = await em.execute<NoticeRow[]>(`select ${COLUMNS} from ${N} where id = ?`, [id]);
    return rows[0] ? noticeOf(rows[0]) : null;
  }

  /** A Comune's notices, newest first. */
  async ofComune(em: EntityManager, comuneId: string, filter: NoticeFilter): Promise<NoticeRow[]> {
    const where = ['comune_id = ?'];
    const params: unknown[] = [comuneId];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        `(debtor_name ilike ? or debtor_fiscal_code ilike ? or notice_number like ? or iuv like ?)`,
      );
      params.push(like, like, like, like);
    }
    params.push(filter.limit);
    const rows = await em.execute<NoticeRow[]>(
      `select ${COLUMNS} from ${N} where ${where.join(' and ')}
       order by created_at desc, id limit ?`,
      params,
    );
    return rows.map(noticeOf);
  }

  /** The notices addressed to a codice fiscale (any Comune), newest first. */
  async ofDebtor(em: EntityManager, fiscalCode: string, limit: number): Promise<NoticeRow[]> {
    const rows = await em.execute<NoticeRow[]>(
      `select ${COLUMNS} from ${N} where debtor_fiscal_code = ?
       order by created_at desc, id limit ?`,
      [fiscalCode, limit],
    );
    return rows.map(noticeOf);
  }

  /** Cancels an UNPAID notice; null when it is not UNPAID (nothing changed). */
  async cancel(em: EntityManager, id: string): Promise<NoticeRow | null> {
    const rows = await em.execute<NoticeRow[]>(
      `update ${N} set status = 'CANCELLED', cancelled_at = now()
       where id = ? and status = 'UNPAID' returning ${COLUMNS}`,
      [id],
    );
    return rows[0] ? noticeOf(rows[0]) : null;
  }

  /** A Comune's notices with these IUVs, locked until the transaction ends (reconciliation). */
  async lockByIuvs(em: EntityManager, comuneId: string, iuvs: string[]): Promise<NoticeRow[]> {
    if (iuvs.length === 0) return [];
    const rows = await em.execute<NoticeRow[]>(
      `select ${COLUMNS} from ${N} where comune_id = ? and iuv = any(?::text[])
       order by id for update`,
      [comuneId, arrayLiteral(iuvs)],
    );
    return rows.map(noticeOf);
  }

  /** Marks an UNPAID notice PAID; false when it is not UNPAID. */
  async markPaid(
    em: EntityManager,
    id: string,
    paid: { date: string; amountCents: number; psp: string; iur: string; flowId: string },
  ): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `update ${N} set status = 'PAID', paid_at = ?, paid_amount_cents = ?, psp = ?, iur = ?,
         flow_id = ?
       where id = ? and status = 'UNPAID' returning id`,
      [paid.date, paid.amountCents, paid.psp, paid.iur, paid.flowId, id],
    );
    return rows.length === 1;
  }
}

// The audit logs of the subgraphs through the gateway: their events (a Comune's, or every one
// for a platform admin), the scheduled verification of their chains, the combined CSV export.
import { csvText } from '@welfare/kit/csv';
import {
  AUDIT_LOGS,
  type AuditApiFilter,
  type AuditLogId,
  type AuditRow,
  mergeAuditEvents,
} from '$lib/audit';
import { m } from '$lib/paraglide/messages';
import type { GatewayCall } from './gateway';
import { graphql } from './graphql';

const IdentityAuditEventsQuery = graphql(`
  query IdentityAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    identityAuditEvents(filter: $filter, first: $first, after: $after) {
      events {
        seq
        at
        organisationId
        actor
        action
        subject
      }
      nextCursor
    }
  }
`);

const PublicWelfareAuditEventsQuery = graphql(`
  query PublicWelfareAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    publicWelfareAuditEvents(filter: $filter, first: $first, after: $after) {
      events {
        seq
        at
        organisationId
        actor
        action
        subject
      }
      nextCursor
    }
  }
`);

const ThirdSectorAuditEventsQuery = graphql(`
  query ThirdSectorAuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    thirdSectorAuditEvents(filter: $filter, first: $first, after: $after) {
      events {
        seq
        at
        organisationId
        actor
        action
        subject
      }
      nextCursor
    }
  }
`);

const AuditChainsQuery = graphql(`
  query AuditChains {
    identityAuditChain {
      checkedAt
      rows
      brokenAt
      unsealedFrom
      unsealedRows
      ok
    }
    publicWelfareAuditChain {
      checkedAt
      rows
      brokenAt
      unsealedFrom
      unsealedRows
      ok
    }
    thirdSectorAuditChain {
      checkedAt
      rows
      brokenAt
      unsealedFrom
      unsealedRows
      ok
    }
  }
`);

type Page = { events: AuditRow[] | Omit<AuditRow, 'log'>[]; nextCursor: string | null };

/** One page of one log (null when the log did not answer; `forbidden` when it refused). */
async function page(
  api: GatewayCall,
  log: AuditLogId,
  variables: {
    filter: AuditApiFilter & { organisationId: string | null };
    first: number;
    after: string | null;
  },
): Promise<{ page: Page | null; forbidden: boolean }> {
  const forbidden = (errors: { code?: string }[] | undefined) =>
    (errors ?? []).some((e) => e.code === 'FORBIDDEN');
  if (log === 'identity') {
    const r = await api(IdentityAuditEventsQuery, variables);
    return { page: r.data?.identityAuditEvents ?? null, forbidden: forbidden(r.errors) };
  }
  if (log === 'publicWelfare') {
    const r = await api(PublicWelfareAuditEventsQuery, variables);
    return { page: r.data?.publicWelfareAuditEvents ?? null, forbidden: forbidden(r.errors) };
  }
  const r = await api(ThirdSectorAuditEventsQuery, variables);
  return { page: r.data?.thirdSectorAuditEvents ?? null, forbidden: forbidden(r.errors) };
}

export interface AuditView {
  rows: AuditRow[];
  /** Logs that did not answer (the page says so; the others are shown). */
  unavailable: AuditLogId[];
  forbidden: boolean;
  /** True when some log has more events than were read (narrow the filter). */
  truncated: boolean;
}

/**
 * The newest `perLog` events of each log matching the filter (up to `maxPerLog`, page by page),
 * combined newest first. `organisationId` null: every event (platform admins).
 */
export async function readAuditLogs(
  api: GatewayCall,
  organisationId: string | null,
  filter: AuditApiFilter,
  maxPerLog: number,
): Promise<AuditView> {
  const results = await Promise.all(
    AUDIT_LOGS.map(async (log) => {
      const events: Omit<AuditRow, 'log'>[] = [];
      let after: string | null = null;
      for (;;) {
        const first = Math.min(500, maxPerLog - events.length);
        const r = await page(api, log, { filter: { ...filter, organisationId }, first, after });
        if (!r.page) return { log, events, failed: true, forbidden: r.forbidden, more: false };
        events.push(...r.page.events);
        after = r.page.nextCursor;
        if (!after || events.length >= maxPerLog) {
          return { log, events, failed: false, forbidden: false, more: after !== null };
        }
      }
    }),
  );
  const pages = Object.fromEntries(results.map((r) => [r.log, r.events]));
  return {
    rows: mergeAuditEvents(pages, maxPerLog * AUDIT_LOGS.length),
    unavailable: results.filter((r) => r.failed && !r.forbidden).map((r) => r.log),
    forbidden: results.some((r) => r.forbidden),
    truncated: results.some((r) => r.more),
  };
}

export interface ChainAlert {
  log: AuditLogId;
  checkedAt: string;
  rows: number;
  brokenAt: number | null;
  /** The lowest row left unsealed (outside the chain) past the alert limit; null when none. */
  unsealedFrom: number | null;
  unsealedRows: number;
}

/**
 * Platform admins: each log's latest verification; `broken` lists the chains that failed (a row
 * changed, or rows left unsealed).
 */
export async function readAuditChains(
  api: GatewayCall,
): Promise<{ chains: ChainAlert[]; broken: ChainAlert[]; unavailable: boolean }> {
  const result = await api(AuditChainsQuery);
  const data = result.data;
  const chains: ChainAlert[] = [];
  for (const log of AUDIT_LOGS) {
    const status = data?.[`${log}AuditChain`];
    if (status) chains.push({ log, ...status });
  }
  return {
    chains,
    broken: chains.filter((c) => c.brokenAt !== null || c.unsealedFrom !== null),
    unavailable: result.unavailable || !data,
  };
}

/**
 * The combined events as a CSV file in the Italian Excel dialect (the kit's one CSV writer: BOM,
 * `;`, CRLF, every cell a spreadsheet would run neutralised). `logNames` and `header` in the
 * page's language.
 */
export function auditCsv(
  rows: readonly AuditRow[],
  header: readonly string[],
  logNames: Record<AuditLogId, string>,
): string {
  const records = rows.map((r) => [
    r.at,
    logNames[r.log],
    r.organisationId ?? '',
    r.actor,
    r.action,
    r.subject,
    r.seq,
  ]);
  return csvText([header, ...records], { bom: true });
}

/** Events on the page, per log (the CSV takes more). */
export const AUDIT_PAGE_ROWS = 100;
/** Events in the CSV export, per log. */
export const AUDIT_EXPORT_ROWS = 5_000;

/** The CSV export of a filtered view, as a download (never cached), in the page's language. */
export function auditCsvResponse(rows: readonly AuditRow[]): Response {
  const header = [
    m.audit_col_at(),
    m.audit_col_log(),
    m.audit_col_organisation(),
    m.audit_col_actor(),
    m.audit_col_action(),
    m.audit_col_subject(),
    m.audit_col_seq(),
  ];
  const logNames = {
    identity: m.audit_log_identity(),
    publicWelfare: m.audit_log_publicWelfare(),
    thirdSector: m.audit_log_thirdSector(),
  };
  return new Response(auditCsv(rows, header, logNames), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="registro-operazioni.csv"',
      'cache-control': 'no-store',
    },
  });
}

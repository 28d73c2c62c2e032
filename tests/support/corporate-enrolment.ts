// The enrolment of employees (cw-enrolment): made-up codici fiscali, the enrolment file's header,
// and a plan with categories for an employer, written straight into the corporate-welfare schema
// (the plan editor is another module: the enrolment only needs the categories' codes to exist).
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { gql } from './graphql.js';

const ODD = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/** The `n`-th made-up personal codice fiscale, valid (check character by DM 12/03/1974), born 1985. */
export function employeeFiscalCode(n: number, prefix = 'E'): string {
  let letters = '';
  let rest = n;
  for (let i = 0; i < 5; i++) {
    letters = String.fromCharCode(65 + (rest % 26)) + letters;
    rest = Math.floor(rest / 26);
  }
  const first15 = `${prefix}${letters}85M10F205`;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const code = first15.charCodeAt(i);
    const v = code <= 57 ? code - 48 : code - 65;
    sum += i % 2 === 0 ? ODD[v]! : v;
  }
  return first15 + String.fromCharCode(65 + (sum % 26));
}

/** The enrolment file's header, every column. */
export const ENROLMENT_HEADER =
  'codice_fiscale;nome;cognome;email;categoria;data_inizio;figli_a_carico;data_fine';

/** A CSV file as Italian Excel writes it: BOM, `;`, CRLF. */
export function enrolmentCsv(lines: string[]): Buffer {
  return Buffer.from(`\ufeff${[ENROLMENT_HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');
}

/** A DRAFT plan of the employer with the categories `codes` (idempotent by plan id). */
export async function seedPlanCategories(
  databaseUrl: string,
  employerId: string,
  planId: string,
  codes: string[],
): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `insert into "corporate_welfare"."plan" ("id", "employer_id", "name", "year", "valid_from",
         "valid_until", "purposes", "end_rule", "created_by")
       values ($1, $2, 'Piano per le prove di iscrizione', 2026, '2026-01-01', '2026-12-31',
         '{SERVICES_IN_KIND}', 'CARRY_OVER', $2)
       on conflict ("id") do nothing`,
      [planId, employerId],
    );
    for (const code of codes) {
      await db.query(
        `insert into "corporate_welfare"."plan_category" ("id", "plan_id", "code", "name", "criterion", "credit_cents")
         values (gen_random_uuid(), $1, $2, $3, 'Criterio oggettivo di prova', 50000)
         on conflict ("plan_id", "code") do nothing`,
        [planId, code, `Categoria ${code}`],
      );
    }
  } finally {
    await db.end();
  }
}

/** The process's peak resident memory (VmHWM from /proc/<pid>/status), in MB; NaN without a pid. */
export function peakMemoryMb(pid: number | undefined): Promise<number> {
  if (!pid) return Promise.resolve(NaN);
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  });
}

export interface EnrolmentJobResult {
  status: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  rowsCreated: number;
  rowsChanged: number;
}

/** Uploads the file and polls the job until it ends: the job and the seconds it took. */
export async function enrol(gateway: string, token: string, employerId: string, file: Buffer) {
  const t0 = performance.now();
  const response = await fetch(
    `${new URL(gateway).origin}/uploads/corporate-welfare/imports/employees?employerId=${employerId}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${token}`,
        'content-length': String(file.length),
      },
      body: new Uint8Array(file),
    },
  );
  const { jobId } = (await response.json()) as { jobId: string };
  for (;;) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    const answer = await gql<{ enrolmentJob: EnrolmentJobResult | null }>(
      gateway,
      `query($e: ID!, $id: ID!) { enrolmentJob(employerId: $e, id: $id) {
        status rowsRead rowsImported rowsRejected rowsCreated rowsChanged } }`,
      { e: employerId, id: jobId },
      { token },
    );
    const job = answer.data?.enrolmentJob;
    if (job && (job.status === 'SUCCEEDED' || job.status === 'FAILED')) {
      return { job, seconds: (performance.now() - t0) / 1000, http: response.status };
    }
    if (performance.now() - t0 > 600_000) throw new Error('enrolment did not end in 10 minutes');
  }
}

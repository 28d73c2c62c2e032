import type { Suite } from '@welfare/kit/test-suite';
import type { Services } from '../src/services.js';

/** A valid plan input for 2026 (two categories), to vary in tests. */
export function planInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Piano welfare 2026',
    year: 2026,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    purposes: ['SERVICES_IN_KIND', 'EDUCATION_CHILDCARE'],
    coveredCategories: ['EDUCATION', 'CHILDCARE'],
    endRule: 'RETURN_TO_EMPLOYER',
    bonusConversion: false,
    categories: [
      { code: 'OPERAI', name: 'Operai', criterion: 'Livelli 1-3 del CCNL', creditCents: 50_000 },
      {
        code: 'IMPIEGATI',
        name: 'Impiegati',
        criterion: 'Livelli 4-7 del CCNL',
        creditCents: 30_000,
      },
    ],
    ...overrides,
  };
}

/** The first bytes of a PDF (all the subgraph looks at) and a little more. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export const CREATE = `mutation ($employerId: ID!, $input: WelfarePlanInput!) {
  createWelfarePlan(employerId: $employerId, input: $input) {
    id name year validFrom validUntil status purposes coveredCategories endRule bonusConversion
    publishedAt regulationFileName categories { code name criterion creditCents }
  }
}`;

/** Enrols employees with SQL (the enrolment module is another's): `count` per category. */
export async function enrol(
  suite: Suite<Services>,
  employerId: string,
  rows: { category: string; count: number; startDate?: string; endDate?: string | null }[],
  prefix = 'E',
): Promise<void> {
  let n = 0;
  for (const row of rows) {
    for (let i = 0; i < row.count; i += 1) {
      n += 1;
      const fiscalCode = `${prefix}${String(n).padStart(15, '0')}`.slice(0, 16).toUpperCase();
      await suite.sql(
        `insert into corporate_welfare.employee (id, employer_id, fiscal_code, given_name, family_name, category_code, start_date, end_date)
         values (gen_random_uuid(), ?, ?, 'Nome', ?, ?, ?, ?)`,
        [
          employerId,
          fiscalCode,
          `Cognome ${n}`,
          row.category,
          row.startDate ?? '2025-01-01',
          row.endDate ?? null,
        ],
      );
    }
  }
}

// The money check (the reconciliation above the book) as the pages show it. Pure: shared by
// server and components.
import type { Localized } from './locale';

/** One thing in the money that does not add up. */
export interface ReconciliationProblem {
  /** The rule that failed (`CREDIT_ONLY_APPROVED`, …). */
  check: string;
  /** What it is about: `campaign:<id>`, `application:<id>`, `card:<id>`, `payment:<id>`, `batch:<id>`. */
  subject: string;
  expectedCents: number | null;
  actualCents: number | null;
  message: Localized;
}

/** A stored run of the check for one Comune. */
export interface ReconciliationRun {
  id: string;
  comuneId: string;
  ranAt: string;
  trigger: 'SCHEDULER' | 'ON_DEMAND';
  ok: boolean;
  problems: ReconciliationProblem[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Comune's pages a problem's subject can link to. */
export type SubjectPath =
  | `/comune/${string}/misure/${string}`
  | `/comune/${string}/domande/${string}`
  | `/comune/${string}/carte/${string}`
  | `/comune/${string}/rimborsi/${string}`;

/** The Comune's page about a problem's subject, when the portal has one (payments have none). */
export function subjectPath(comuneId: string, subject: string): SubjectPath | null {
  const [kind, id, ...rest] = subject.split(':');
  if (!id || rest.length > 0 || !UUID.test(id) || !UUID.test(comuneId)) return null;
  switch (kind) {
    case 'campaign':
      return `/comune/${comuneId}/misure/${id}`;
    case 'application':
      return `/comune/${comuneId}/domande/${id}`;
    case 'card':
      return `/comune/${comuneId}/carte/${id}`;
    case 'batch':
      return `/comune/${comuneId}/rimborsi/${id}`;
    default:
      return null;
  }
}

// Operations of the money check (the reconciliation above the book): a Comune's latest run, a run
// on demand (its MANAGERs and platform admins) and the platform admins' alerts, through the gateway.
import type { ReconciliationRun } from '$lib/reconciliation';
import { type ResultOf, graphql } from './graphql';

export const MoneyReconciliationQuery = graphql(`
  query MoneyReconciliation($comuneId: ID!) {
    moneyReconciliation(comuneId: $comuneId) {
      id
      comuneId
      ranAt
      trigger
      ok
      problems {
        check
        subject
        expectedCents
        actualCents
        messageIt
        messageEn
      }
    }
  }
`);

export const MoneyReconciliationAlertsQuery = graphql(`
  query MoneyReconciliationAlerts {
    moneyReconciliationAlerts {
      id
      comuneId
      ranAt
      trigger
      ok
      problems {
        check
        subject
        expectedCents
        actualCents
        messageIt
        messageEn
      }
    }
  }
`);

export const ReconcileMoneyMutation = graphql(`
  mutation ReconcileMoney($comuneId: ID!) {
    reconcileMoney(comuneId: $comuneId) {
      id
      ranAt
      ok
    }
  }
`);

type Run = NonNullable<ResultOf<typeof MoneyReconciliationQuery>['moneyReconciliation']>;

/** A run as the pages show it: the messages in both languages, the amounts as numbers. */
export function toRun(run: Run): ReconciliationRun {
  return {
    id: run.id,
    comuneId: run.comuneId,
    ranAt: run.ranAt,
    trigger: run.trigger,
    ok: run.ok,
    problems: run.problems.map((p) => ({
      check: p.check,
      subject: p.subject,
      expectedCents: p.expectedCents === null ? null : Number(p.expectedCents),
      actualCents: p.actualCents === null ? null : Number(p.actualCents),
      message: { it: p.messageIt, en: p.messageEn },
    })),
  };
}

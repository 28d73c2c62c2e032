import { Migration } from '@mikro-orm/migrations';

const S = '"public_welfare"';

/**
 * The Comune's worklist (issue 19, item 3). Hand-written. The worklist counts a Comune's open
 * applications by status and due-by date: a partial index on the open ones (the closed ones are
 * the many, and the worklist never reads them); the case queue's filters on them use it too.
 * Reimbursement batches waiting for approval are found by `reimbursement_batch_comune_index`;
 * shops' requests not yet decided by a partial index of their own.
 */
export class Migration20261209120000_worklist extends Migration {
  override up(): void {
    this.addSql(`create index "application_comune_open_index" on ${S}."application"
  ("comune_id", "status", "due_by")
  where "status" in ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION', 'APPEALED');`);
    this.addSql(`create index "shop_accreditation_pending_index" on ${S}."shop_accreditation"
  ("comune_id") where "status" = 'PENDING';`);
  }

  override down(): void {
    this.addSql(`drop index if exists ${S}."shop_accreditation_pending_index";`);
    this.addSql(`drop index if exists ${S}."application_comune_open_index";`);
  }
}

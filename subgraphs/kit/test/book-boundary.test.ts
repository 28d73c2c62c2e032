import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * "The book has one public API, and only the kit touches its tables" (issue 12): no source file
 * outside the kit names `book_account`, `book_transfer`, `book_pending_credit` (the hot accounts'
 * credits not yet folded) or `book_reserve_entry` (the euro reserve of a book that has one); subgraphs read and move money through `Book` (subgraphs/kit/src/book).
 * Scanned: every subgraph's `src` but the kit's, the gateway's and the portal's, and the tests.
 * Left out:
 * - migrations (`src/migrations`): a book's migrations are frozen SQL, written once;
 * - the test files below, each for its written reason. Any other file naming a book table fails.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const TABLES = /\bbook_(account|transfer|pending_credit|reserve_entry)\b/;

/**
 * Product code allowed to read the book's tables directly, with why: none. The last two (the
 * campaign dashboard and the reimbursements) moved to the book API (`movementGroups`).
 */
const PRODUCT_ALLOWED: Record<string, string> = {};

const ORACLE =
  'an assertion reads the tables as an oracle independent of the code under test (counts, balances and sums checked against what the product answered)';
const CORRUPTS = 'deliberately breaks the book with raw SQL to prove the checks catch it';

/** Tests that read (or on purpose corrupt) the book's tables with raw SQL, and why. */
const TESTS_ALLOWED: Record<string, string> = {
  'tests/support/money.ts': `${ORACLE}: the shared invariant check run after every cross-package money test`,
  'tests/support/reconciliation.ts': CORRUPTS,
  'tests/bench/pos.ts': `${ORACLE}: the benchmark verifies its run from the database after the load`,
  'tests/bench/corporate.ts': `${ORACLE}: the benchmark reads the employees' credited accounts after funding the plan`,
  'tests/federation/payments-crash.test.ts': `${ORACLE}: after kill -9, what the book holds is the truth to compare the answers with`,
  'tests/federation/provider-reimbursement.test.ts': `${ORACLE}: the provider's account for the campaign is read from the book before and after its batch is paid`,
  'tests/federation/checkout.test.ts': `${ORACLE}: what a checkout's voucher leg did to the card account (held, captured, given back) is read from the book itself`,
  'tests/federation/ies-card.test.ts': `${ORACLE}: the card holder's IES wallet is read from ies-circuit's book before and after the till's split payments`,
  'tests/e2e/ies-card.test.ts': `${ORACLE}: the card holder's IES wallet is read from ies-circuit's book before and after the browser's payment`,
  'tests/federation/ies-checkout.test.ts': `${ORACLE}: the payer's and the provider's IES wallets are read from the book before and after a checkout paid with IES`,
  'tests/e2e/reimbursements.test.ts': ORACLE,
  'tests/e2e/topup-schedule.test.ts': ORACLE,
  'tests/e2e/corporate-bonus.test.ts': `${ORACLE}: a confirmed conversion is read from the book as the employee's credit and the employer's issuer`,
  'subgraphs/public-welfare/test/reimbursements.test.ts': ORACLE,
  'subgraphs/public-welfare/test/provider-reimbursements.test.ts': ORACLE,
  'subgraphs/public-welfare/test/topup-schedule.test.ts': ORACLE,
  'subgraphs/public-welfare/test/demo.test.ts': ORACLE,
  'subgraphs/public-welfare/test/budget-ranking.test.ts': ORACLE,
  'subgraphs/public-welfare/test/reconciliation.test.ts': CORRUPTS,
  'subgraphs/public-welfare/test/money.test.ts': ORACLE,
  'subgraphs/public-welfare/test/ies-card.test.ts': `${ORACLE}: a refused split payment writes no book transfer`,
  'subgraphs/public-welfare/test/revocation.test.ts': `${ORACLE}: a refused revocation writes no book transfer; the race test holds the card's book accounts locked to queue a payment and a revocation behind them`,
  'subgraphs/public-welfare/test/money-world.ts': ORACLE,
  'subgraphs/public-welfare/test/monitoring.test.ts': ORACLE,
  'subgraphs/public-welfare/test/decision-approval.test.ts': ORACLE,
  'subgraphs/public-welfare/test/book-hot-accounts.test.ts':
    'runs the migration of hot accounts down and up over accounts written with SQL as the book was before it, and reads the shops’ rows and pending credits as an oracle',
};

const SOURCE = /\.(ts|js|mjs|cjs|svelte)$/;
const SKIP = new Set(['node_modules', 'dist', 'build', '.svelte-kit', 'migrations', 'coverage']);

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (SKIP.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

/** The files under `roots` (relative to the repository) that name a book table. */
export function namingTheBook(root: string, roots: string[]): string[] {
  return roots
    .flatMap((r) => files(join(root, r)))
    .filter((path) => TABLES.test(readFileSync(path, 'utf8')))
    .map((path) => relative(root, path))
    .sort();
}

function subgraphs(under: string): string[] {
  return readdirSync(join(ROOT, 'subgraphs'))
    .filter((name) => name !== 'kit')
    .map((name) => `subgraphs/${name}/${under}`);
}

describe('the book boundary', () => {
  it('no product code outside the kit names the book’s tables', () => {
    const found = namingTheBook(ROOT, [...subgraphs('src'), 'gateway/src', 'web/src']);
    expect(found.filter((f) => !(f in PRODUCT_ALLOWED))).toEqual([]);
  });

  it('only the listed tests name the book’s tables, each for its reason', () => {
    const found = namingTheBook(ROOT, [...subgraphs('test'), 'tests']);
    expect(found.filter((f) => !(f in TESTS_ALLOWED))).toEqual([]);
    // The lists hold no stale entry: each still names the tables (so each can still fail).
    expect(Object.keys(TESTS_ALLOWED).filter((f) => !found.includes(f))).toEqual([]);
    const product = namingTheBook(ROOT, [...subgraphs('src'), 'gateway/src', 'web/src']);
    expect(Object.keys(PRODUCT_ALLOWED).filter((f) => !product.includes(f))).toEqual([]);
  });

  it('finds a file naming a table, and skips migrations', () => {
    const found = namingTheBook(ROOT, ['subgraphs/public-welfare/src']);
    // The frozen migrations name the tables, and are left out.
    expect(found.some((f) => f.includes('/migrations/'))).toBe(false);
    expect(
      readFileSync(
        join(ROOT, 'subgraphs/public-welfare/src/migrations/Migration20261124121405_money.ts'),
        'utf8',
      ),
    ).toMatch(TABLES);
    // The scan itself sees the kit's own book, which names them, all four.
    expect(namingTheBook(ROOT, ['subgraphs/kit/src'])).toContain('subgraphs/kit/src/book/book.ts');
    for (const table of [
      'book_account',
      'book_transfer',
      'book_pending_credit',
      'book_reserve_entry',
    ])
      expect(TABLES.test(`select 1 from "public_welfare".${table}`), table).toBe(true);
    expect(TABLES.test('book_accounts book_transfers')).toBe(false);
  });
});

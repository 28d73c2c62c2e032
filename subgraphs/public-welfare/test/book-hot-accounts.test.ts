import { randomUUID } from 'node:crypto';
import { bookMigrationSql } from '@welfare/kit/book';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, issuerAccount, shopAccount, shopAccountId } from '../src/modules/ledger/ledger.js';
import { COMUNE_A, setupSuite, type Suite } from './helpers.js';

/** The migration under test. */
const HOT_ACCOUNTS = 'Migration20261206140000_book_hot_accounts';

/*
 * The shops' accounts are hot (the kit's hot accounts, migration book_hot_accounts): a payment
 * appends its credit without taking the shop's row. The migration is run down and up here over
 * accounts written with SQL as the book was before it, so this file names the book's tables.
 */

let suite: Suite;

beforeAll(async () => {
  suite = await setupSuite('book_hot');
});
afterAll(() => suite.close());

const em = () => suite.orm.em.fork();
const sql = <T>(query: string, params: unknown[] = []) =>
  suite.orm.em.getConnection().execute<T[]>(query, params);

/** The book's objects in `schema` (tables, constraints, indexes, triggers, functions), its name replaced. */
async function bookCatalog(schema: string): Promise<string[]> {
  const rows = await sql<{ item: string }>(
    `select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
              || ' ' || coalesce(column_default, '') as item
       from information_schema.columns where table_schema = ? and table_name like 'book\\_%'
     union all
     select 'constraint ' || r.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
       from pg_constraint c join pg_class r on r.oid = c.conrelid
       join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = ? and r.relname like 'book\\_%'
     union all
     select 'index ' || indexdef from pg_indexes where schemaname = ? and tablename like 'book\\_%'
     union all
     select 'trigger ' || pg_get_triggerdef(t.oid)
       from pg_trigger t join pg_class r on r.oid = t.tgrelid join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = ? and r.relname like 'book\\_%' and not t.tgisinternal
     union all
     select 'function ' || pg_get_functiondef(p.oid)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = ? and p.proname like 'book\\_%'
     order by 1`,
    [schema, schema, schema, schema, schema],
  );
  return rows.map((r) =>
    r.item.replaceAll(`"${schema}"`, '<schema>').replaceAll(schema, '<schema>'),
  );
}

/** A shop account's balance read from the tables: its row and its credits not yet folded. */
async function shopRow(code: string) {
  const [row] = await sql<{ hot: boolean; row: string; unfolded: string }>(
    `select a.hot, (a.credits_posted - a.debits_posted)::text as row,
       (select coalesce(sum(p.amount), 0) from "public_welfare"."book_pending_credit" p
         where p.account_id = a.id)::text as unfolded
       from "public_welfare"."book_account" a where a.code = ?`,
    [code],
  );
  return { hot: row!.hot, row: Number(row!.row), unfolded: Number(row!.unfolded) };
}

describe('the shops’ hot accounts', () => {
  it('the frozen migrations give the book the kit creates today', async () => {
    await sql(`drop schema if exists pw_book_today cascade`);
    await em().transactional(async (tx) => {
      await tx.execute(`create schema pw_book_today`);
      for (const statement of bookMigrationSql('pw_book_today')) await tx.execute(statement);
    });
    const today = await bookCatalog('pw_book_today');
    expect(today.filter((item) => item.startsWith('function '))).toHaveLength(8);
    expect(await bookCatalog('public_welfare')).toEqual(today);
    await sql(`drop schema pw_book_today cascade`);
  });

  it('a shop’s account opens hot: a payment’s credit is counted at once and folded later', async () => {
    const accreditationId = randomUUID();
    const shop = await shopAccount(em(), accreditationId);
    expect(shop).toMatchObject({ hot: true, owner: { kind: 'shop', id: accreditationId } });
    // The payment's path asks for the id alone (the shop's balance is not read).
    expect(await shopAccountId(em(), accreditationId)).toBe(shop.id);
    const issuer = await issuerAccount(em(), COMUNE_A);
    await book.transfer(em(), { id: randomUUID(), debit: issuer.id, credit: shop.id, amount: 900 });
    expect(await shopRow(`shop:${accreditationId}`)).toEqual({ hot: true, row: 0, unfolded: 900 });
    expect(await book.balance(em(), shop.id)).toMatchObject({ posted: 900, unfoldedCredits: 900 });
    await book.fold(em(), [shop.id]);
    expect(await shopRow(`shop:${accreditationId}`)).toEqual({ hot: true, row: 900, unfolded: 0 });
  });

  it('the migration, run down and up, folds every pending credit and makes the shops’ accounts hot', async () => {
    const issuer = await issuerAccount(em(), COMUNE_A);
    const hotShop = await shopAccount(em(), randomUUID());
    await book.transfer(em(), {
      id: randomUUID(),
      debit: issuer.id,
      credit: hotShop.id,
      amount: 70,
    });
    const before = await book.accounts(em(), { ids: [issuer.id, hotShop.id] });

    // Down: the pending credits go into their rows, the table and the column go away.
    const migrator = suite.orm.getMigrator();
    // Down to and including this migration (later ones go down first, and come back up below).
    await migrator.down({ to: HOT_ACCOUNTS });
    const [down] = await sql<{ pending: string | null; hot: string | null }>(
      `select to_regclass('"public_welfare"."book_pending_credit"')::text as pending,
         (select column_name from information_schema.columns where table_schema = 'public_welfare'
           and table_name = 'book_account' and column_name = 'hot') as hot`,
    );
    expect(down).toEqual({ pending: null, hot: null });
    const [folded] = await sql<{ credits: string }>(
      `select credits_posted::text as credits from "public_welfare"."book_account" where id = ?`,
      [hotShop.id],
    );
    expect(Number(folded!.credits)).toBe(before.find((a) => a.id === hotShop.id)!.creditsPosted);

    // A shop account opened and paid as before hot accounts, with SQL (the kit reads today's book).
    const oldShop = `shop:${randomUUID()}`;
    const [opened] = await sql<{ id: string }>(
      `insert into "public_welfare"."book_account" (code, kind, owner_kind, owner_id)
       values (?, 'MERCHANT', 'shop', ?) returning id`,
      [oldShop, oldShop.slice(5)],
    );
    await sql(
      `insert into "public_welfare"."book_transfer" (id, debit_account_id, credit_account_id, amount, status)
       values (?, ?, ?, 450, 'POSTED')`,
      [randomUUID(), issuer.id, opened!.id],
    );
    expect((await migrator.up()).map((m) => m.name)).toContain(HOT_ACCOUNTS);

    expect(await shopRow(oldShop)).toEqual({ hot: true, row: 450, unfolded: 0 });
    expect((await book.balance(em(), hotShop.id)).hot).toBe(true);
    expect((await book.balance(em(), issuer.id)).hot).toBe(false);
    // Paid again: the credit is appended.
    await book.transfer(em(), {
      id: randomUUID(),
      debit: issuer.id,
      credit: opened!.id,
      amount: 50,
    });
    expect(await shopRow(oldShop)).toEqual({ hot: true, row: 450, unfolded: 50 });
    expect(await book.balance(em(), opened!.id)).toMatchObject({ posted: 500 });
    const report = await book.checkInvariants(em());
    expect(report.problems).toEqual([]);
  });
});

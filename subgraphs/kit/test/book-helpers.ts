import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect, inject } from 'vitest';
import { Book, type BookOptions } from '../src/book/book.js';
import { bookMigrationSql } from '../src/book/schema.js';
import { openOrm, type MikroORM } from '../src/orm.js';
import { createTestDatabase } from '../src/testing.js';

export interface BookSuite {
  orm: MikroORM;
  url: string;
  schema: string;
  book: Book;
  /** A fresh EntityManager, as a request would have. */
  em(): EntityManager;
  /** Raw SQL on a fresh EntityManager (no transaction). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Creates another book schema in the same database (for runs that need a clean book). */
  createSchema(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A database of its own for one suite, with the book created in `schema` by a MikroORM migration
 * made of `bookMigrationSql` (and `extraSql`), exactly as a subgraph would.
 */
export async function setupBookSuite(
  prefix: string,
  options: {
    poolMax?: number;
    book?: BookOptions;
    /** More of the book's SQL after `bookMigrationSql` (e.g. `bookReserveSql`), in every schema. */
    extraSql?: (schema: string) => string[];
  } = {},
): Promise<BookSuite> {
  const schema = 'book_test';
  const bookSql = (name: string) => [
    ...bookMigrationSql(name),
    ...(options.extraSql?.(name) ?? []),
  ];
  const url = await createTestDatabase(inject('postgresServerUrl'), `kit_book_${prefix}`);
  class CreateBook extends Migration {
    override up(): void {
      for (const statement of bookSql(schema)) this.addSql(statement);
    }
  }
  const orm = await openOrm(
    {
      clientUrl: url,
      schema,
      entities: [],
      migrations: [{ name: 'Migration20260101000000_book', class: CreateBook }],
      poolMax: options.poolMax ?? 10,
    },
    { migrate: true },
  );
  const em = (): EntityManager => orm.em.fork();
  return {
    orm,
    url,
    schema,
    book: new Book(schema, options.book),
    em,
    sql: <T>(query: string, params: unknown[] = []) => em().execute<T[]>(query, params),
    createSchema: async (name: string) => {
      await em().transactional(async (tx) => {
        await tx.execute(`create schema "${name}"`);
        for (const statement of bookSql(name)) await tx.execute(statement);
      });
    },
    close: () => orm.close(),
  };
}

/** Runs `fn` and returns what it throws (failing when it does not throw). */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Asserts the whole book is consistent. */
export async function expectCleanBook(suite: BookSuite, book: Book = suite.book): Promise<void> {
  const report = await book.checkInvariants(suite.em());
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

export const id = (): string => randomUUID();

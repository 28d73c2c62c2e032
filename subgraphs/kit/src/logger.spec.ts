import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeError, scrubText } from './logger.js';

const FISCAL_CODE = 'RSSMRA80A01G273M';
const EMAIL = 'mario.rossi@example.it';
const PHONE = '+39 333 1234567';

/** A failed insert as MikroORM raises it: the SQL with its values in the message, pg's detail. */
function driverError(): Error {
  class CheckConstraintViolationException extends Error {}
  const err = new CheckConstraintViolationException(
    `insert into "public_welfare"."application" ("answers") values ('{"email":"${EMAIL}","phone":"${PHONE}"}') - new row violates check constraint "application_notes_check"`,
  );
  Object.assign(err, {
    code: '23514',
    schema: 'public_welfare',
    table: 'application',
    constraint: 'application_notes_check',
    detail: `Failing row contains (${FISCAL_CODE}, ${EMAIL}).`,
    where: `SQL statement "insert ... ${PHONE}"`,
    query: `insert into application values ($1)`,
    params: [FISCAL_CODE],
  });
  return err;
}

describe('safeError', () => {
  it('keeps the class, SQLSTATE and database objects of a driver error, never its values', () => {
    const safe = safeError(driverError());
    expect(safe).toMatchObject({
      type: 'CheckConstraintViolationException',
      code: '23514',
      schema: 'public_welfare',
      table: 'application',
      constraint: 'application_notes_check',
    });
    const text = JSON.stringify(safe);
    for (const value of [FISCAL_CODE, EMAIL, PHONE, 'insert into', 'Failing row']) {
      expect(text).not.toContain(value);
    }
  });

  it('follows the cause, and scrubs other messages', () => {
    const wrapped = new Error(`sending to ${EMAIL} failed`, { cause: driverError() });
    const text = JSON.stringify(safeError(wrapped));
    expect(text).toContain('sending to [email] failed');
    expect(text).toContain('23514');
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(PHONE);
  });

  it('scrubs a string logged as an error', () => {
    expect(scrubText(`cf ${FISCAL_CODE}, tel ${PHONE}, iban IT60X0542811101000000123456`)).toBe(
      'cf [cf], tel [number], iban [iban]',
    );
  });
});

describe('createLogger', () => {
  it('serialises every logged `err` safely', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('test', 'info', sink);
    logger.error({ err: driverError(), requestId: 'r-1' }, 'operation failed');
    logger.error({ error: driverError(), email: EMAIL }, 'other');
    const text = lines.join('');
    expect(text).toContain('"code":"23514"');
    expect(text).toContain('"requestId":"r-1"');
    for (const value of [FISCAL_CODE, EMAIL, PHONE]) expect(text).not.toContain(value);
  });
});

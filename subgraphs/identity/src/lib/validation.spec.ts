import { FieldErrors } from '@welfare/kit';
import { isValidPartitaIva, isValidPersonalFiscalCode } from '@welfare/kit/pii';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../demo/accounts.js';
import {
  checkIban,
  checkOrganisationTaxCode,
  checkPhone,
  checkPersonalFiscalCode,
} from './validation.js';

describe('validators', () => {
  it('checks the codice fiscale check character and normalises case', () => {
    expect(isValidPersonalFiscalCode('RSSMRA80A01H501U')).toBe(true);
    expect(isValidPersonalFiscalCode('RSSMRA80A01H501X')).toBe(false);
    expect(isValidPersonalFiscalCode('RSSMRA80A01H501')).toBe(false);
    const errors = new FieldErrors();
    expect(checkPersonalFiscalCode(errors, 'cf', ' rssmra80a01h501u ')).toBe('RSSMRA80A01H501U');
    expect(errors.any).toBe(false);
    expect(checkPersonalFiscalCode(errors, 'cf', 'RSSMRA80A01H501X')).toBeUndefined();
    expect(errors.any).toBe(true);
  });

  it('checks the partita IVA check digit', () => {
    expect(isValidPartitaIva('80002190827')).toBe(true);
    expect(isValidPartitaIva('80002190828')).toBe(false);
    expect(isValidPartitaIva('8000219082')).toBe(false);
    expect(isValidPartitaIva('00000000000')).toBe(false);
    // A sole trader may use a personal codice fiscale.
    expect(checkOrganisationTaxCode(new FieldErrors(), 't', 'RSSMRA80A01H501U')).toBe(
      'RSSMRA80A01H501U',
    );
    expect(checkOrganisationTaxCode(new FieldErrors(), 't', 'IT80002190827')).toBe('80002190827');
  });

  it('accepts SEPA IBANs in electronic format only when valid', () => {
    expect(checkIban(new FieldErrors(), 'iban', 'it60 x054 2811 1010 0000 0123 456')).toBe(
      'IT60X0542811101000000123456',
    );
    expect(checkIban(new FieldErrors(), 'iban', 'IT60X0542811101000000123457')).toBeUndefined();
    expect(checkIban(new FieldErrors(), 'iban', 'DE89370400440532013000')).toBe(
      'DE89370400440532013000',
    );
    // Brazil is not a SEPA country.
    expect(checkIban(new FieldErrors(), 'iban', 'BR1800360305000010009795493C1')).toBeUndefined();
  });

  it('normalises Italian phone numbers to E.164', () => {
    expect(checkPhone(new FieldErrors(), 'p', '333 123 4567')).toBe('+393331234567');
    expect(checkPhone(new FieldErrors(), 'p', '+39 091 8787111')).toBe('+390918787111');
    expect(checkPhone(new FieldErrors(), 'p', '0044 20 7946 0958')).toBe('+442079460958');
    expect(checkPhone(new FieldErrors(), 'p', '12')).toBeUndefined();
    expect(checkPhone(new FieldErrors(), 'p', 'call me')).toBeUndefined();
  });

  it('keeps the demo data valid', () => {
    for (const org of Object.values(DEMO_ORGANISATIONS)) {
      expect(checkOrganisationTaxCode(new FieldErrors(), 't', org.taxCode)).toBe(org.taxCode);
      expect(checkIban(new FieldErrors(), 'i', org.iban)).toBe(org.iban);
    }
    for (const account of DEMO_ACCOUNTS.filter((a) => a.fiscalCode)) {
      expect(isValidPersonalFiscalCode(account.fiscalCode!)).toBe(true);
    }
  });
});

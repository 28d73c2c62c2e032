import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES } from './api-enums';
import {
  actionSearch,
  applicationStatusLabel,
  canAppeal,
  canResubmit,
  canUploadDocuments,
  canWithdraw,
  checkLabel,
  currentStep,
  fileSize,
  formSearch,
  missingDocuments,
  nextStep,
  onBehalfOf,
  previousStep,
} from './applications';

const measure = {
  declarations: [{ code: 'VERIDICITA' }, { code: 'NESSUN_ALTRO_BUONO' }],
  requiredDocuments: [
    { code: 'DOCUMENTO_IDENTITA', mandatory: true },
    { code: 'ALTRO', mandatory: false },
  ],
};
const draft = (acceptedDeclarations: string[], documents: string[]) => ({
  acceptedDeclarations,
  documents: documents.map((code) => ({ code })),
});

describe('currentStep', () => {
  it('without a draft, only the privacy notice step exists', () => {
    expect(currentStep(null, null, measure)).toBe('informativa');
    expect(currentStep('riepilogo', null, measure)).toBe('informativa');
  });

  it('with a draft, the asked step', () => {
    expect(currentStep('dati', draft([], []), measure)).toBe('dati');
    expect(currentStep('riepilogo', draft([], []), measure)).toBe('riepilogo');
  });

  it('coming back to a draft, the first step with something left to do', () => {
    expect(currentStep(null, draft([], []), measure)).toBe('contatti');
    expect(currentStep('nonsense', draft(['VERIDICITA'], []), measure)).toBe('contatti');
    const declared = ['VERIDICITA', 'NESSUN_ALTRO_BUONO'];
    expect(currentStep(null, draft(declared, []), measure)).toBe('documenti');
    expect(currentStep(null, draft(declared, ['ALTRO']), measure)).toBe('documenti');
    expect(currentStep(null, draft(declared, ['DOCUMENTO_IDENTITA']), measure)).toBe('riepilogo');
  });

  it('lists the mandatory documents still missing', () => {
    expect(missingDocuments(draft([], ['ALTRO']), measure)).toEqual(['DOCUMENTO_IDENTITA']);
    expect(missingDocuments(draft([], ['DOCUMENTO_IDENTITA']), measure)).toEqual([]);
  });

  it('orders the steps', () => {
    expect(nextStep('informativa')).toBe('dati');
    expect(nextStep('riepilogo')).toBeNull();
    expect(previousStep('informativa')).toBeNull();
    expect(previousStep('documenti')).toBe('contatti');
  });
});

describe('form URLs', () => {
  it('keeps the step and the citizen applied for in links and form actions', () => {
    expect(formSearch(null, null)).toBe('');
    expect(formSearch('dati', null)).toBe('?passo=dati');
    expect(formSearch('dati', 'RSSMRA80A01H501U')).toBe('?passo=dati&per=RSSMRA80A01H501U');
    expect(actionSearch('privacy', null, null)).toBe('?/privacy');
    expect(actionSearch('upload', 'documenti', 'RSSMRA80A01H501U')).toBe(
      '?passo=documenti&per=RSSMRA80A01H501U&/upload',
    );
  });

  it('reads the `per` parameter as an upper-case codice fiscale', () => {
    expect(onBehalfOf(' rssmra80a01 h501u ')).toBe('RSSMRA80A01H501U');
    expect(onBehalfOf('')).toBeNull();
    expect(onBehalfOf(null)).toBeNull();
  });
});

describe('what each status allows', () => {
  it('withdraw a submitted application before a decision, documents in a draft or on request', () => {
    const allowed = (check: (s: (typeof APPLICATION_STATUSES)[number]) => boolean) =>
      APPLICATION_STATUSES.filter(check);
    expect(allowed(canWithdraw)).toEqual(['SUBMITTED', 'IN_REVIEW', 'NEEDS_INTEGRATION']);
    expect(allowed(canUploadDocuments)).toEqual(['DRAFT', 'NEEDS_INTEGRATION']);
    expect(allowed(canResubmit)).toEqual(['NEEDS_INTEGRATION']);
    expect(allowed(canAppeal)).toEqual(['REJECTED']);
  });
});

describe('helpers', () => {
  it('writes file sizes in the page language', () => {
    expect(fileSize(200, 'it')).toBe('1 KB');
    expect(fileSize(850 * 1024, 'it')).toBe('850 KB');
    expect(fileSize(1.25 * 1024 * 1024, 'it')).toBe('1,3 MB');
    expect(fileSize(1.25 * 1024 * 1024, 'en')).toBe('1.3 MB');
  });

  it('has a label for every status, and falls back to the code for unknown checks', () => {
    for (const status of APPLICATION_STATUSES) {
      expect(applicationStatusLabel(status)).not.toBe('');
    }
    expect(applicationStatusLabel('NEEDS_INTEGRATION')).toBe('Integrazione richiesta');
    expect(checkLabel('ISEE')).toBe('ISEE');
    expect(checkLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});

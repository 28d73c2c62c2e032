import { describe, expect, it } from 'vitest';
import { sampleFlow } from '../../../test/fixtures/flow.js';
import { amountToCents, parseFlow } from './flow-parser.js';

const CF = '80002190827';

describe('Flusso di Rendicontazione parser', () => {
  it('reads the header and every payment line of a flow written after the XSD', () => {
    const parsed = parseFlow(
      sampleFlow({
        creditorFiscalCode: CF,
        lines: [
          { iuv: '01000000000000144', iur: 'IUR-1', amount: '25.50' },
          { iuv: '01000000000000245', iur: 'IUR-2', amount: '100.00', outcome: '9' },
        ],
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.flow).toMatchObject({
      flowId: '2026-12-05ABI03069-0000000001',
      settlementDate: '2026-12-05',
      pspCode: 'BCITITMM',
      pspName: 'Banca di Prova S.p.A.',
      creditorFiscalCode: CF,
      totalCount: 2,
      totalCents: 12550,
    });
    expect(parsed.flow.lines).toEqual([
      {
        index: 1,
        iuv: '01000000000000144',
        iur: 'IUR-1',
        amountCents: 2550,
        outcome: '0',
        date: '2026-12-04',
      },
      {
        index: 2,
        iuv: '01000000000000245',
        iur: 'IUR-2',
        amountCents: 10000,
        outcome: '9',
        date: '2026-12-04',
      },
    ]);
  });

  it('marks a line that breaks the schema, keeping the others', () => {
    const parsed = parseFlow(
      sampleFlow({
        creditorFiscalCode: CF,
        lines: [
          { iuv: '01000000000000144', iur: 'IUR-1', amount: '25.50' },
          { iuv: '01000000000000245', iur: 'IUR-2', amount: '1,00', date: '2026-02-30' },
        ],
        total: '26.50',
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.flow.lines[0]!.problem).toBeUndefined();
    expect(parsed.flow.lines[1]!.problem?.en).toContain('singoloImportoPagato');
    expect(parsed.flow.lines[1]!.problem?.en).toContain('dataEsitoSingoloPagamento');
  });

  it('refuses the whole file when it is not XML, not a flow, or its totals disagree', () => {
    const good = { creditorFiscalCode: CF, lines: [{ iuv: '1', iur: 'a', amount: '1.00' }] };
    for (const xml of [
      '',
      'not xml at all <',
      '<a><b></a>',
      '<FlussoRiversamento><versioneOggetto>1.0</versioneOggetto></FlussoRiversamento>',
      sampleFlow({ ...good, count: 2 }),
      sampleFlow({ ...good, total: '2.00' }),
      sampleFlow({ ...good, flowId: 'bad id with spaces' }),
      sampleFlow(good).replace(
        '<pay_i:dataRegolamento>2026-12-05',
        '<pay_i:dataRegolamento>05/12/2026',
      ),
      sampleFlow(good).replace(/<pay_i:istitutoRicevente>[\s\S]*<\/pay_i:istitutoRicevente>/, ''),
    ]) {
      const parsed = parseFlow(xml);
      expect(parsed.ok, xml.slice(0, 60)).toBe(false);
    }
  });

  it('reads amounts to cents without floating point', () => {
    expect(amountToCents('0.10')).toBe(10);
    expect(amountToCents('1234567.89')).toBe(123456789);
    expect(amountToCents('-5.00')).toBe(-500);
    for (const bad of ['1', '1.0', '1,00', '1.001', 'abc', '99999999999.00']) {
      expect(amountToCents(bad)).toBeNull();
    }
  });
});

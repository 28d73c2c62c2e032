import { describe, expect, it } from 'vitest';
import { auditCsv } from './audit';

describe('the audit CSV', () => {
  it('writes Italian Excel CSV and neutralises cells a spreadsheet would run', () => {
    const csv = auditCsv(
      [
        {
          log: 'publicWelfare',
          seq: '7',
          at: '2026-07-01T10:00:00.000Z',
          organisationId: null,
          actor: '=HYPERLINK("http://evil")',
          action: '+SUM(1)',
          subject: '-2+3',
        },
        {
          log: 'identity',
          seq: '8',
          at: '2026-07-01T10:00:01.000Z',
          organisationId: null,
          actor: '@cmd',
          action: '\tTAB',
          subject: '\rCR',
        },
      ],
      ['Quando', 'Registro', 'Organizzazione', 'Autore', 'Azione', 'Oggetto', 'Posizione'],
      { identity: 'Accessi', publicWelfare: 'Welfare pubblico', thirdSector: 'Terzo settore' },
    );
    expect(csv.startsWith('\ufeffQuando;Registro;')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(
      `2026-07-01T10:00:00.000Z;Welfare pubblico;;"'=HYPERLINK(""http://evil"")";'+SUM(1);'-2+3;7`,
    );
    expect(lines[2]).toContain(`;'@cmd;`);
    expect(lines[2]).toContain(`'\tTAB`);
    expect(lines[2]).toContain(`'\rCR`);
  });
});

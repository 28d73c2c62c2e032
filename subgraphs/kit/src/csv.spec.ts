import { describe, expect, it } from 'vitest';
import { csvFile, csvText, neutraliseCell } from './csv.js';

describe('csvText', () => {
  it('writes the Italian Excel dialect: `;`, CRLF, quotes where needed', () => {
    expect(
      csvText([
        ['codice', 'indirizzo', 'n', 'ok'],
        ['F1', 'Via Roma 1; int. 2', 3, true],
        ['F2', 'Detto "il Moro"\nsecondo rigo', null, false],
        [],
      ]),
    ).toBe(
      'codice;indirizzo;n;ok\r\n' +
        'F1;"Via Roma 1; int. 2";3;true\r\n' +
        'F2;"Detto ""il Moro""\nsecondo rigo";;false\r\n' +
        '\r\n',
    );
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['  =1+1', `'  =1+1`],
    ['\uFF1D1+1', `'\uFF1D1+1`],
  ])('neutralises a formula: %j', (value, cell) => {
    expect(neutraliseCell(value)).toBe(cell);
    // In the file the cell also survives quoting: the apostrophe stays first inside the quotes.
    const line = csvText([[value]]);
    expect(line.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it.each(['-12', '-3,50', '1.5', 'Via Roma', 'a=b', 'mario@example.it', ''])(
    'leaves a value that cannot run as it is: %j',
    (value) => {
      expect(neutraliseCell(value)).toBe(value);
    },
  );

  it('leaves numbers as numbers, negative ones too', () => {
    expect(csvText([[-5, 0, 12n]])).toBe('-5;0;12\r\n');
  });

  it('starts a file with the UTF-8 byte order mark', () => {
    const bytes = csvFile([['è']]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('è\r\n');
    expect(csvText([['a']], { bom: true })).toBe('\ufeffa\r\n');
  });
});

import { describe, expect, it } from 'vitest';
import {
  MAX_ROWS,
  MIN_ROWS,
  formField,
  movedRows,
  padded,
  parseRows,
  readAllocation,
  readRows,
  rowsOf,
} from './funding-form';

const MESSAGES = {
  kind: { it: 'tipo', en: 'kind' },
  name: { it: 'nome', en: 'name' },
  amount: { it: 'importo', en: 'amount' },
};

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
}

describe('the funding sources form', () => {
  it('shows the stored sources as rows, padded with empty ones, and grows by one up to the limit', () => {
    const rows = rowsOf([{ kind: 'STATE', name: 'DL 154/2020', amountCents: 2_500_050 }]);
    expect(rows).toHaveLength(MIN_ROWS);
    expect(rows[0]).toEqual({ kind: 'STATE', name: 'DL 154/2020', amount: '25.000,50' });
    expect(padded(rows, 1)).toHaveLength(MIN_ROWS + 1);
    expect(
      padded(
        Array.from({ length: MAX_ROWS }, () => rows[0]!),
        1,
      ),
    ).toHaveLength(MAX_ROWS);
  });

  it('reads the posted rows, skips the empty ones and keeps the rows of the sent sources', () => {
    const rows = readRows(
      form({
        rows: '4',
        'kind.0': 'REGION',
        'name.0': ' Regione ',
        'amount.0': '600',
        'kind.1': '',
        'name.1': '',
        'amount.1': '',
        'kind.2': 'DONATION',
        'name.2': 'Fondazione',
        'amount.2': '1.400,00',
      }),
    );
    expect(rows).toHaveLength(4);
    const parsed = parseRows(rows, MESSAGES);
    expect(parsed.fields).toEqual({});
    expect(parsed.sources).toEqual([
      { kind: 'REGION', name: 'Regione', amountCents: 60_000 },
      { kind: 'DONATION', name: 'Fondazione', amountCents: 140_000 },
    ]);
    expect(parsed.rowOf).toEqual([0, 2]);
    expect(formField('sources.1.amountCents', parsed.rowOf)).toBe('sources.2.amountCents');
    expect(formField('sources', parsed.rowOf)).toBe('sources');
  });

  it('says what is wrong on each row before calling the API', () => {
    const parsed = parseRows(
      [
        { kind: '', name: 'Senza tipo', amount: '10' },
        { kind: 'EU', name: '', amount: '0' },
        { kind: 'OTHER', name: 'Negativo', amount: '-5' },
      ],
      MESSAGES,
    );
    expect(Object.keys(parsed.fields).sort()).toEqual([
      'sources.0.kind',
      'sources.1.amountCents',
      'sources.1.name',
      'sources.2.amountCents',
    ]);
    expect(parsed.sources).toEqual([]);
  });

  it('moves a row one place up or down, and reads the allocation mode (PRO_RATA unless PRIORITY)', () => {
    const rows = ['A', 'B', 'C'].map((name) => ({ kind: 'OTHER', name, amount: '1' }));
    const names = (r: { name: string }[]) => r.map((x) => x.name).join('');
    expect(names(movedRows(rows, '2:up').rows)).toBe('ACB');
    expect(movedRows(rows, '2:up').to).toBe(1);
    expect(names(movedRows(rows, '0:down').rows)).toBe('BAC');
    for (const bad of ['0:up', '2:down', '7:up', 'x', ''])
      expect(movedRows(rows, bad)).toEqual({ rows, to: null });
    expect(names(rows)).toBe('ABC');
    expect(readAllocation(form({ allocation: 'PRIORITY' }))).toBe('PRIORITY');
    expect(readAllocation(form({ allocation: 'ALTRO' }))).toBe('PRO_RATA');
    expect(readAllocation(form({}))).toBe('PRO_RATA');
  });
});

import { describe, expect, it } from 'vitest';
import { match } from '../params/uuid';
import { isUuid } from './uuid';

describe('UUID route parameters', () => {
  it('match the API ids, in any case', () => {
    for (const id of [
      '0b7c2d1e-0000-4000-8000-000000000101',
      '0B7C2D1E-0000-4000-8000-00000000010A',
    ]) {
      expect(isUuid(id), id).toBe(true);
      expect(match(id), id).toBe(true);
    }
  });

  it('match nothing else, so a malformed id is the 404 page', () => {
    for (const bad of [
      '',
      'nuova',
      '123',
      '0b7c2d1e-0000-4000-8000-00000000010',
      '0b7c2d1e00004000800000000000101x',
      '../admin',
    ]) {
      expect(match(bad), bad).toBe(false);
    }
  });
});

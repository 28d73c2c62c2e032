import { describe, expect, it } from 'vitest';
import { sessionTokenFrom } from './session.js';

describe('sessionTokenFrom', () => {
  it('reads a bearer session token', () => {
    expect(sessionTokenFrom('Bearer abcdefghijklmnopqrstuvwxyz012345')).toBe(
      'abcdefghijklmnopqrstuvwxyz012345',
    );
  });
  it('ignores other schemes and malformed tokens', () => {
    expect(sessionTokenFrom(undefined)).toBeUndefined();
    expect(sessionTokenFrom('Basic abc')).toBeUndefined();
    expect(sessionTokenFrom('Bearer short')).toBeUndefined();
    expect(sessionTokenFrom('Bearer has spaces and ; semicolons ok?')).toBeUndefined();
  });
});

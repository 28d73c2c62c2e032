import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './client-address.js';

const trusted = new Set(['127.0.0.1', '::1']);
const request = (remoteAddress: string | undefined, xff?: string | string[]) => ({
  headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  socket: { remoteAddress } as never,
});

describe('clientAddressOf', () => {
  it('takes the last X-Forwarded-For entry from a trusted proxy', () => {
    expect(clientAddressOf(request('127.0.0.1', '198.51.100.9'), trusted)).toBe('198.51.100.9');
    expect(clientAddressOf(request('::ffff:127.0.0.1', '10.0.0.1, 203.0.113.7'), trusted)).toBe(
      '203.0.113.7',
    );
    expect(clientAddressOf(request('::1', ['10.0.0.1', '2001:DB8::1']), trusted)).toBe(
      '2001:db8::1',
    );
  });

  it('ignores X-Forwarded-For from anyone else and uses the connection’s address', () => {
    expect(clientAddressOf(request('192.0.2.5', '198.51.100.9'), trusted)).toBe('192.0.2.5');
    expect(clientAddressOf(request('127.0.0.1'), trusted)).toBe('127.0.0.1');
  });

  it('keeps nothing that is not an IP address', () => {
    expect(clientAddressOf(request('127.0.0.1', 'evil; drop table'), trusted)).toBeUndefined();
    expect(clientAddressOf(request(undefined), trusted)).toBeUndefined();
  });
});

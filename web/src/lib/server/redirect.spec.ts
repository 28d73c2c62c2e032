import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it.each([
    ['/profilo', '/profilo'],
    ['/organizzazioni/42?tab=membri#invito', '/organizzazioni/42?tab=membri#invito'],
    ['/a/../admin', '/admin'],
  ])('keeps same-site path %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/ok\nLocation: https://evil.example',
    'profilo',
    '',
    null,
    undefined,
    42,
  ])('refuses %s', (input) => {
    expect(safeRedirect(input)).toBe('/profilo');
  });

  it('uses the given fallback', () => {
    expect(safeRedirect('https://evil.example', '/')).toBe('/');
  });
});

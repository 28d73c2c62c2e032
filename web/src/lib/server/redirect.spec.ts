import { describe, expect, it } from 'vitest';
import { loginPath, safeRedirect } from './redirect';

/**
 * Return addresses an attacker would try (issue 14): each must give the fallback or a path of
 * the portal that a browser cannot read as another host.
 */
const HOSTILE_REDIRECTS: readonly string[] = [
  // Absolute and protocol-relative addresses.
  'https://evil.example/',
  'http://evil.example',
  '//evil.example/x',
  '///evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  // Dot segments that collapse to `//host` once normalised.
  '/..//evil.example',
  '/.//evil.example',
  '/a/..//evil.example',
  '/a/b/../..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/%2e//evil.example',
  '/a/%2e%2e/%2e%2e//evil.example',
  // Encoded slashes and backslashes.
  '/%2F%2Fevil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%5c%5cevil.example',
  '/..%2f/evil.example',
  '/%2e%2e%5c/evil.example',
  // Backslashes, which a browser reads as slashes.
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '/..\\evil.example',
  // Tabs, newlines and other control characters (the URL parser removes tabs and newlines).
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/.\t.//evil.example',
  '/ok\nLocation: https://evil.example',
  '/\u0000/evil.example',
  // Not a path, or too long.
  'evil.example',
  ' /profilo',
  `/${'a'.repeat(1000)}`,
  `/${'../'.repeat(400)}/evil.example`,
];

/** Look-alikes of the slash: harmless once percent-encoded, a path of the portal (a 404). */
const LOOK_ALIKES: readonly [string, string][] = [
  ['/\u2215\u2215evil.example', '/%E2%88%95%E2%88%95evil.example'],
  ['/\uff0f\uff0fevil.example', '/%EF%BC%8F%EF%BC%8Fevil.example'],
  ['/\u2044evil.example', '/%E2%81%84evil.example'],
];

/** The checks a return address must pass, whatever the input. */
function expectSafe(input: string, output: string): void {
  expect(output.startsWith('/'), `${JSON.stringify(input)} -> ${output}`).toBe(true);
  expect(output.startsWith('//'), `${JSON.stringify(input)} -> ${output}`).toBe(false);
  expect(output.startsWith('/\\'), `${JSON.stringify(input)} -> ${output}`).toBe(false);
  // eslint-disable-next-line no-control-regex
  expect(/[\u0000-\u001f\u007f\\]/.test(output), `${JSON.stringify(output)}`).toBe(false);
  const resolved = new URL(output, 'https://portal.example');
  expect(resolved.origin).toBe('https://portal.example');
  expect(resolved.pathname.startsWith('//')).toBe(false);
  // Normalised once for all: checking the result again changes nothing.
  expect(safeRedirect(output, '/fallback')).toBe(output);
}

describe('safeRedirect', () => {
  it.each([
    ['/profilo', '/profilo'],
    ['/organizzazioni/42?tab=membri#invito', '/organizzazioni/42?tab=membri#invito'],
    ['/a/../admin', '/admin'],
    ['/a/./b/../c', '/a/c'],
    ['/comune/x/anagrafe?q=a%2Fb', '/comune/x/anagrafe?q=a%2Fb'],
    ['/servizi?q=caff\u00e8', '/servizi?q=caff%C3%A8'],
  ])('keeps same-site path %s, normalised', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
    expectSafe(input, expected);
  });

  it.each(HOSTILE_REDIRECTS.map((value) => [JSON.stringify(value).slice(0, 60), value]))(
    'refuses %s',
    (_label, input) => {
      const output = safeRedirect(input);
      expectSafe(input, output);
      // None of these is a page of the portal: each gives the fallback.
      expect(output).toBe('/profilo');
    },
  );

  it.each(LOOK_ALIKES)('keeps the look-alike %s as an encoded path', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
    expectSafe(input, expected);
  });

  it.each([['', null, undefined, 42, {}, ['/profilo']]].flat())('refuses %s', (input) => {
    expect(safeRedirect(input)).toBe('/profilo');
  });

  it('uses the given fallback', () => {
    expect(safeRedirect('https://evil.example', '/')).toBe('/');
    expect(safeRedirect('/..//evil.example', '/')).toBe('/');
  });
});

describe('loginPath', () => {
  it('carries a same-site return address', () => {
    expect(loginPath('/comune/x/file.csv?a=1')).toBe(
      `/accedi?redirectTo=${encodeURIComponent('/comune/x/file.csv?a=1')}`,
    );
  });

  it('never carries a hostile one', () => {
    expect(loginPath('//evil.example/x')).toBe('/accedi?redirectTo=%2Fprofilo');
    expect(loginPath('/..//evil.example')).toBe('/accedi?redirectTo=%2Fprofilo');
  });
});

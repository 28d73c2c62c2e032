#!/usr/bin/env node
// `npm run bench -- NAME`: builds, then runs tests/dist/bench/NAME.js, which prints its figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const name = process.argv[2];
const available = () =>
  readdirSync(join(root, 'tests/bench'))
    .filter((f) => f.endsWith('.ts') && f !== 'lib.ts')
    .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available().includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${available().join(', ')})`);
  process.exit(2);
}
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', APOLLO_TELEMETRY_DISABLED: '1' };
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) process.exit(build.status ?? 1);
const script = join(root, `tests/dist/bench/${name}.js`);
if (!existsSync(script)) {
  console.error(`missing ${script}`);
  process.exit(1);
}
const run = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit', env });
process.exit(run.status ?? 1);
